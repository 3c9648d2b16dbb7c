#!/usr/bin/env node
// axe-core (WCAG 2.1 A and AA rules) on local HTML pages in Debian's Chromium, and each
// page as it prints: its print styles, whether it fits the printable width, and PDFs.
//
//   node scripts/axe-check.js [--pdf DIR] PAGE.html...
//
// Prints one JSON object: {"PAGE.html": {"violations": [...], "print": {...}}, ...}.
// Installed by scripts/setup-ace.sh into .tools/axe (puppeteer-core, no browser download).
"use strict";

const path = require("path");
const { eachPage, need, run } = require("./chromium");

const { AxePuppeteer } = need("@axe-core/puppeteer");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const MARGIN_PX = (15 / 25.4) * 96; // the stylesheet's @page margin
const PAPER = { A4: 210 / 25.4, Letter: 8.5 }; // widths in inches

async function printed(page, pdfDir, name) {
  await page.emulateMediaType("print");
  const out = { styles: await page.evaluate(() => {
    const s = getComputedStyle(document.body);
    return { color: s.color, background: s.backgroundColor, maxWidth: s.maxWidth };
  }), overflow: {}, pdf: {} };
  for (const [paper, inches] of Object.entries(PAPER)) {
    const width = Math.floor(inches * 96 - 2 * MARGIN_PX);
    await page.setViewport({ width, height: 900 });
    out.overflow[paper] = await page.evaluate(
      () => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    if (pdfDir) {
      const file = path.join(pdfDir, `${name}-${paper}.pdf`);
      await page.pdf({ path: file, format: paper });
      out.pdf[paper] = file;
    }
  }
  await page.emulateMediaType(null);
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  let pdfDir = null;
  if (args[0] === "--pdf") {
    pdfDir = args[1];
    args.splice(0, 2);
  }
  return eachPage(args, async (page, file, i) => {
    const result = await new AxePuppeteer(page).withTags(TAGS).analyze();
    return {
      violations: result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        targets: v.nodes.map((n) => n.target.join(" ")),
      })),
      passes: result.passes.length,
      print: await printed(page, pdfDir, `page-${i}`),
    };
  });
}

run(main);
