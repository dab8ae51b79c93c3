module github.com/go-o365/o365

go 1.26.0

require golang.org/x/oauth2 v0.38.0
