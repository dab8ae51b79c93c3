module github.com/go-o365/o365/examples/webapp

go 1.26.0

require (
	github.com/chromedp/cdproto v0.160.5
	github.com/chromedp/chromedp v0.23.1
	github.com/go-o365/o365 v0.0.0
)

require (
	github.com/go-json-experiment/json v1.27.2 // indirect
	golang.org/x/oauth2 v0.38.0 // indirect
)

// The example is developed with the core module beside it.
replace github.com/go-o365/o365 => ../..
