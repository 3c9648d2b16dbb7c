// Debian's Chromium through puppeteer-core (installed by scripts/setup-ace.sh into
// .tools/axe; no browser download), shared by axe-check.js and media-check.js: open each
// local page in one browser, collect what `visit(page, file, index)` returns, print one
// JSON object keyed by the file as given, and exit 1 with the error on a failure.
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { createRequire } = require("module");

const need = createRequire(path.join(__dirname, "..", ".tools", "axe", "package.json"));

async function eachPage(files, visit, extraArgs = []) {
  const puppeteer = need("puppeteer-core");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "kbx-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    userDataDir: profile,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", ...extraArgs],
  });
  const report = {};
  try {
    for (const [i, file] of files.entries()) {
      const page = await browser.newPage();
      await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
      report[file] = await visit(page, file, i);
      await page.close();
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  return report;
}

function run(main) {
  main()
    .then((report) => process.stdout.write(JSON.stringify(report, null, 1) + "\n"))
    .catch((err) => {
      process.stderr.write(String(err && err.stack || err) + "\n");
      process.exit(1);
    });
}

module.exports = { eachPage, need, run };
