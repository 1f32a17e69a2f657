// npm's answers for fedwasm's differential semver test (differential_test.go).
//
// stdin: one JSON object per line, {"range": string, "version": string}.
// stdout: a first line {"semver": <the npm semver version used>}, then one
// line per input, {"validRange": validRange(range), "valid": valid(version),
// "satisfies": satisfies(version, range)}, all with default options.
//
// semver is loaded from the repository's node_modules (npm ci installs it
// from package-lock.json), never from wherever node would otherwise look.
'use strict'

const fs = require('node:fs')
const path = require('node:path')
const { createRequire } = require('node:module')

const repoRoot = path.resolve(__dirname, '..', '..', '..')
const requireFromRoot = createRequire(path.join(repoRoot, 'package.json'))
const semverPath = path.join(repoRoot, 'node_modules', 'semver')
const semver = requireFromRoot(semverPath)
const { version } = requireFromRoot(path.join(semverPath, 'package.json'))

const out = [JSON.stringify({ semver: version })]
for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
  if (line === '') {
    continue
  }
  const pair = JSON.parse(line)
  out.push(JSON.stringify({
    validRange: semver.validRange(pair.range),
    valid: semver.valid(pair.version),
    satisfies: semver.satisfies(pair.version, pair.range),
  }))
}
process.stdout.write(out.join('\n') + '\n')
