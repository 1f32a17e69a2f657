// npm's answers for fedwasm's differential semver tests (differential_test.go,
// tricky_test.go).
//
// stdin: one JSON object per line, {"range": string, "version": string}.
// stdout: a first line {"semver": <the npm semver version used>}, then one
// line per input, {"validRange": validRange(range), "valid": valid(version),
// "satisfies": satisfies(version, range)}, all with default options.
//
// By default the answers are written once stdin ends. With --lines each
// answer is written as soon as its question is read, so one node process can
// serve a fuzz target's inputs one at a time.
//
// semver is loaded from the repository's node_modules (npm ci installs it
// from package-lock.json), never from wherever node would otherwise look.
'use strict'

const fs = require('node:fs')
const path = require('node:path')
const readline = require('node:readline')
const { createRequire } = require('node:module')

const repoRoot = path.resolve(__dirname, '..', '..', '..')
const requireFromRoot = createRequire(path.join(repoRoot, 'package.json'))
const semverPath = path.join(repoRoot, 'node_modules', 'semver')
const semver = requireFromRoot(semverPath)
const { version } = requireFromRoot(path.join(semverPath, 'package.json'))

const answer = line => {
  const pair = JSON.parse(line)
  return JSON.stringify({
    validRange: semver.validRange(pair.range),
    valid: semver.valid(pair.version),
    satisfies: semver.satisfies(pair.version, pair.range),
  })
}

const header = JSON.stringify({ semver: version })
if (process.argv.includes('--lines')) {
  fs.writeSync(1, header + '\n')
  readline.createInterface({ input: process.stdin }).on('line', line => {
    if (line !== '') {
      fs.writeSync(1, answer(line) + '\n')
    }
  })
} else {
  const out = [header]
  for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
    if (line !== '') {
      out.push(answer(line))
    }
  }
  process.stdout.write(out.join('\n') + '\n')
}
