package semver

// Canonical exposes npm's printed form of v (SemVer.version) to the external
// tests, which compare it with npm's valid().
func Canonical(v Version) string { return v.canonical() }
