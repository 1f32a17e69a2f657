module github.com/fedwasm/fedwasm

go 1.26

require (
	github.com/Masterminds/semver/v3 v3.5.0
	github.com/andybalholm/brotli v1.2.0
	github.com/evanw/esbuild v0.28.2
	honnef.co/go/js/dom/v2 v2.0.0-20231112215516-51f43a291193
)

require golang.org/x/sys v0.34.0 // indirect
