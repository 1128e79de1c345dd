// The mwn side of "refresh, nothing changed": the same job as `wikisync sync` done the way mwn's
// documentation suggests, one bot.edit(title, transform) per page. The section texts come ready-made
// from sections.json (the harness reads them from the wiki), so mwn is not charged for rendering.
// Usage: node refresh.js SECTIONS_JSON [skip-unchanged]
// Environment: WIKISYNC_WIKI_API, WIKISYNC_WIKI_USER, WIKISYNC_WIKI_PASSWORD.
'use strict';
const fs = require('fs');
const { Mwn } = require('mwn');

function splice(text, sections) {
    for (const [name, inner] of Object.entries(sections)) {
        const begin = `<!-- wikisync:begin ${name} -->`;
        const end = `<!-- wikisync:end ${name} -->`;
        const b = text.indexOf(begin);
        const e = text.indexOf(end, b);
        if (b < 0 || e < 0) continue;
        text = text.slice(0, b + begin.length) + inner + text.slice(e);
    }
    return text;
}

async function main() {
    const pages = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
    const skipUnchanged = process.argv[3] === 'skip-unchanged';
    const started = process.hrtime.bigint();
    const bot = await Mwn.init({
        apiUrl: process.env.WIKISYNC_WIKI_API,
        username: process.env.WIKISYNC_WIKI_USER,
        password: process.env.WIKISYNC_WIKI_PASSWORD,
        userAgent: 'WikiSync-benchmark-mwn/1.0 (local benchmark)',
        defaultParams: { assert: 'user', maxlag: 5 },
        silent: true,
    });
    let edited = 0, unchanged = 0;
    for (const [title, sections] of Object.entries(pages)) {
        const result = await bot.edit(title, (rev) => {
            const text = splice(rev.content, sections);
            if (skipUnchanged && text === rev.content) return null;
            return { text, summary: 'Update generated sections', minor: true };
        }, { conflictRetries: 2, suppressNochangeWarning: true });
        if (result && result.nochange || result && result.result === 'aborted') unchanged++; else edited++;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(JSON.stringify({ pages: Object.keys(pages).length, edited, unchanged, seconds }));
}

main().catch((err) => { console.error(err && err.message ? err.message : String(err)); process.exit(1); });
