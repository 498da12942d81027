//! Command-line flags. Hand-parsed: nine flags do not justify a parser crate,
//! and the interface is fixed (other parts of the project start us with it).

use std::path::PathBuf;

/// Start-up configuration; `/__sandbox/reset` restores the runtime limits to these values.
#[derive(Clone, Debug)]
pub struct Cli {
    pub host: String,
    pub port: u16,
    /// Requests per minute per API key (the published default is 120).
    pub rpm: u32,
    /// Requests per minute per client IP (the published default is 100).
    pub ip_rpm: u32,
    /// Requests per day per API key (the published default is 20000).
    pub rpd: u32,
    /// Enables the `/__sandbox/*` fault-injection and inspection routes.
    pub faults: bool,
    /// Development only, off by default: answers leads:upsert with an `errors`
    /// list (`{index, detail}` per failed item) beside the published counts.
    pub item_errors: bool,
    pub www: Option<PathBuf>,
    pub pkg: Option<PathBuf>,
}

pub const USAGE: &str = "usage: agoralia-sandbox [--host 127.0.0.1] [--port 8787] [--rpm 120] [--ip-rpm 100] [--rpd 20000] [--faults] [--item-errors] [--www DIR] [--pkg DIR]";

impl Default for Cli {
    fn default() -> Self {
        Cli { host: "127.0.0.1".into(), port: 8787, rpm: 120, ip_rpm: 100, rpd: 20000, faults: false, item_errors: false, www: None, pkg: None }
    }
}

/// Parses the arguments (without the program name). Accepts `--flag value` and `--flag=value`.
pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Cli, String> {
    let mut cli = Cli::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it.next().ok_or_else(|| format!("{name} needs a value")),
            }
        };
        match flag.as_str() {
            "--host" => cli.host = value("--host")?,
            "--port" => cli.port = num(&value("--port")?, "--port")?,
            "--rpm" => cli.rpm = num(&value("--rpm")?, "--rpm")?,
            "--ip-rpm" => cli.ip_rpm = num(&value("--ip-rpm")?, "--ip-rpm")?,
            "--rpd" => cli.rpd = num(&value("--rpd")?, "--rpd")?,
            "--faults" => cli.faults = true,
            "--item-errors" => cli.item_errors = true,
            "--www" => cli.www = Some(PathBuf::from(value("--www")?)),
            "--pkg" => cli.pkg = Some(PathBuf::from(value("--pkg")?)),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(cli)
}

fn num<T: std::str::FromStr>(s: &str, flag: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("{flag}: not a valid number: {s:?}"))
}
