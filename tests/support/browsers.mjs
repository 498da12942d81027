// The three browser engines the package is tested in, behind one small driver:
// Chromium (playwright-core, Debian's chromium), Firefox (puppeteer-core over
// WebDriver BiDi, Debian's firefox-esr) and WebKit, Safari's engine
// (selenium-webdriver talking to Debian's WebKitWebDriver, MiniBrowser under a
// private Xvfb display). A suite writes its cases once and runs them in each:
// a browser that cannot start fails the test with its name, never a skip.
//
// Pages are read through the driver's own script evaluation (not eval in the
// page), so pages under a strict CSP can be read too. Page errors are recorded
// by the page itself with ERROR_RECORDER_JS (no driver has the same event for
// it), loaded as a classic script before the app's module.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { freePort } from "./ports.mjs";

export const BROWSERS = ["Chromium", "Firefox", "WebKit"];

export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const EXECUTABLES = {
  Chromium: "/usr/bin/chromium",
  Firefox: "/usr/bin/firefox-esr",
  WebKit: "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
};

/** A classic script for test pages: errors and unhandled rejections into window.__pageErrors. */
export const ERROR_RECORDER_JS = `window.__pageErrors = [];
addEventListener("error", (e) => __pageErrors.push(String(e.message || e.error || e)));
addEventListener("unhandledrejection", (e) => __pageErrors.push(String(e.reason && e.reason.message || e.reason)));
`;

/**
 * Starts one browser. Returns { name, version, newPage(), close() }; a page is
 * { goto(url), evaluate(expression), close() }, where `expression` is JS
 * source whose value (a promise is awaited) comes back through JSON.
 */
export async function launchBrowser(name) {
  const exe = EXECUTABLES[name];
  if (!exe) throw new Error(`unknown browser ${name} (one of ${BROWSERS.join(", ")})`);
  if (!fs.existsSync(exe)) throw new Error(`${name}: ${exe} is missing: run scripts/setup.sh`);
  if (name === "Chromium") return chromium();
  if (name === "Firefox") return firefox();
  return webkit();
}

// Every driver evaluates the same wrapped source, so values cross as JSON alike.
const wrap = (expression) => `Promise.resolve(${expression}).then((v) => JSON.stringify(v === undefined ? null : v))`;

// Playwright's and puppeteer's pages share these three calls.
const scriptedPage = (page) => ({
  goto: (url) => page.goto(url).then(() => {}),
  evaluate: async (expression) => JSON.parse(await page.evaluate(wrap(expression))),
  close: () => page.close(),
});

async function chromium() {
  const { chromium: pw } = await import("playwright-core");
  const browser = await pw.launch({ executablePath: EXECUTABLES.Chromium, args: CHROMIUM_ARGS });
  return {
    name: "Chromium",
    version: browser.version(),
    newPage: async () => scriptedPage(await browser.newPage()),
    close: () => browser.close(),
  };
}

async function firefox() {
  const { default: puppeteer } = await import("puppeteer-core");
  const browser = await puppeteer.launch({ browser: "firefox", executablePath: EXECUTABLES.Firefox, protocol: "webDriverBiDi", headless: true });
  return {
    name: "Firefox",
    version: (await browser.version()).replace(/^firefox\//, ""),
    newPage: async () => scriptedPage(await browser.newPage()),
    close: () => browser.close(),
  };
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  return exited;
}

async function webkit() {
  const { Builder } = await import("selenium-webdriver");
  // Xvfb picks a free display itself and writes its number to fd 3.
  const xvfb = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], { stdio: ["ignore", "ignore", "pipe", "pipe"] });
  let xlog = "";
  xvfb.stderr.on("data", (c) => (xlog += c));
  const display = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`WebKit: Xvfb gave no display: ${xlog}`)), 15000);
    xvfb.once("error", (e) => reject(new Error(`WebKit: Xvfb did not start (${e.message}): run scripts/setup.sh`)));
    xvfb.once("exit", (code) => reject(new Error(`WebKit: Xvfb exited with ${code}: ${xlog}`)));
    xvfb.stdio[3].once("data", (d) => { clearTimeout(timer); resolve(String(d).trim()); });
  });
  const port = await freePort();
  const driver = spawn("WebKitWebDriver", [`--port=${port}`], { env: { ...process.env, DISPLAY: `:${display}` }, stdio: ["ignore", "ignore", "ignore"] });
  const stopAll = async () => { await stopChild(driver); await stopChild(xvfb); };
  try {
    await new Promise((resolve, reject) => {
      driver.once("error", (e) => reject(new Error(`WebKit: WebKitWebDriver did not start (${e.message}): run scripts/setup.sh`)));
      const poll = async (left) => {
        const ok = await fetch(`http://127.0.0.1:${port}/status`).then((r) => r.ok, () => false);
        if (ok) return resolve();
        if (left === 0 || driver.exitCode !== null) return reject(new Error(`WebKit: WebKitWebDriver did not answer on ${port}`));
        setTimeout(() => poll(left - 1), 100);
      };
      poll(150);
    });
    const capabilities = {
      browserName: "MiniBrowser",
      "webkitgtk:browserOptions": { binary: EXECUTABLES.WebKit, args: ["--automation"] },
    };
    const session = await new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities(capabilities).build();
    const version = (await session.getCapabilities()).get("browserVersion");
    // WebKitWebDriver drives one page per session: each new page is the same
    // window, navigated afresh (enough for suites that open pages one by one).
    return {
      name: "WebKit",
      version: `WebKitGTK ${version}`,
      async newPage() {
        return {
          goto: (url) => session.get(url),
          evaluate: async (expression) => JSON.parse(await session.executeScript(`return ${wrap(expression)}`)),
          close: async () => {},
        };
      },
      close: async () => {
        await session.quit().catch(() => {});
        await stopAll();
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** Polls `expression` in the page until it is truthy; fails with `what` and the page's errors. */
export async function waitFor(page, expression, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate(expression)) return;
    if (Date.now() > deadline) {
      const errors = await page.evaluate("window.__pageErrors || []").catch(() => []);
      throw new Error(`${what}: not after ${timeoutMs} ms; page errors: ${JSON.stringify(errors)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
