fn main() { eprintln!("agoralia-sandbox: being written (issue 3)"); std::process::exit(1) }
