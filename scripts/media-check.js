#!/usr/bin/env node
// The audio guide on web pages, as Chromium plays it: for each page, the player's media
// once loaded (duration, error), its text tracks with their cues, and where the player
// stands after a click on each link that seeks it.
//
//   node scripts/media-check.js PAGE.html...
//
// Prints one JSON object: {"PAGE.html": {"duration": 613.2, "tracks": [...],
// "seeks": [{"start": 19.9, "at": 19.9, "playing": true}, ...]}, ...}.
// Runs in Debian's chromium through scripts/chromium.js.
"use strict";

const { eachPage, run } = require("./chromium");

async function check(page) {
  const media = await page.evaluate(() => new Promise((resolve) => {
    const audio = document.querySelector("audio");
    if (!audio) return resolve(null);
    const done = () => resolve({ duration: audio.duration, error: audio.error && audio.error.code,
      src: audio.currentSrc });
    if (audio.readyState >= 1) return done();
    audio.addEventListener("loadedmetadata", done);
    audio.addEventListener("error", done);
    audio.load();
  }));
  if (!media) return { duration: null, tracks: [], seeks: [] };
  media.tracks = await page.evaluate(() => new Promise((resolve) => {
    const audio = document.querySelector("audio");
    const elements = Array.from(audio.querySelectorAll("track"));
    const tracks = Array.from(audio.textTracks);
    tracks.forEach((t) => { t.mode = "hidden"; }); // loads the cues
    const report = () => resolve(tracks.map((t, i) => ({
      kind: t.kind, language: t.language, label: t.label,
      cues: t.cues ? t.cues.length : 0, ready: elements[i] ? elements[i].readyState : null,
    })));
    let waiting = elements.filter((e) => e.readyState < 2).length;
    if (!waiting) return report();
    elements.forEach((e) => {
      const one = () => { waiting -= 1; if (waiting <= 0) report(); };
      e.addEventListener("load", one);
      e.addEventListener("error", one);
    });
    setTimeout(report, 10000);
  }));
  const links = await page.$$("a[data-start]");
  media.seeks = [];
  for (const link of links) {
    await link.click();
    const start = parseFloat(await link.evaluate((a) => a.getAttribute("data-start")));
    const at = await page.evaluate(() => new Promise((resolve) => {
      const audio = document.querySelector("audio");
      const report = () => resolve({ at: audio.currentTime, paused: audio.paused,
        href: location.href });
      if (!audio.seeking) return report();
      audio.addEventListener("seeked", report, { once: true });
      setTimeout(report, 5000);
    }));
    await page.evaluate(() => document.querySelector("audio").pause());
    media.seeks.push({ start, at: at.at, playing: !at.paused, stayed: !at.href.includes("#t=")
      && !at.href.endsWith(".mp3") });
  }
  return media;
}

run(() => eachPage(process.argv.slice(2), (page) => check(page),
  ["--autoplay-policy=no-user-gesture-required", "--allow-file-access-from-files"]));
