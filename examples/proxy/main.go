// Command proxy sends every request, the sign-in included, through an
// HTTP proxy that demands basic authentication: first set with the
// WithProxy option, then changed on the live connection with SetProxy
// (python-o365's "Setting Proxy", options 1 and 2).
//
// Offline it starts graphtest and graphtest's forward proxy in-process.
// Against a real proxy, set O365_PROXY_HOST, O365_PROXY_PORT and
// optionally O365_PROXY_USER / O365_PROXY_PASSWORD; the calls then go to
// the emulator through that proxy (which must reach loopback).
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/internal/demo"
)

func main() { demo.Main(run, nil) }

func run(ctx context.Context, w io.Writer) error {
	srv := demo.Emulator()
	defer srv.Close()
	demo.Banner(w, srv)

	host, port, user, pass := os.Getenv("O365_PROXY_HOST"), 0, os.Getenv("O365_PROXY_USER"), os.Getenv("O365_PROXY_PASSWORD")
	var local *graphtest.Proxy
	if host != "" {
		var err error
		if port, err = strconv.Atoi(os.Getenv("O365_PROXY_PORT")); err != nil {
			return fmt.Errorf("O365_PROXY_PORT: %w", err)
		}
	} else {
		user, pass = "proxyuser", "proxy-password"
		local = graphtest.NewProxy(user, pass)
		defer local.Close()
		addr := local.Listener.Addr().(*net.TCPAddr)
		host, port = addr.IP.String(), addr.Port
		fmt.Fprintf(w, "Started a forward proxy at %s that demands basic auth\n", local.URL)
	}

	// Option 1: the proxy is part of the account's configuration.
	account := o365.NewAccount(demo.Credentials, append(demo.Options(srv, nil),
		o365.WithScopes("basic"), o365.WithProxy(host, port, user, pass))...)
	if _, err := account.Authenticate(ctx); err != nil {
		return err
	}
	me, err := account.CurrentUser(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Through the proxy: signed in and read the profile of %s\n", me.DisplayName)
	if local != nil {
		fmt.Fprintf(w, "The proxy forwarded %d requests (token exchange and Graph)\n", local.Forwarded())
	}

	// Option 2: change the proxy of the live connection. Wrong
	// credentials are refused by the proxy, and the error names no secret.
	if err := account.Connection().SetProxy(host, port, user, "wrong-password"); err != nil {
		return err
	}
	if _, err := account.CurrentUser(ctx); err != nil {
		fmt.Fprintf(w, "With a wrong proxy password: %v\n", err)
	}
	if err := account.Connection().SetProxy(host, port, user, pass); err != nil {
		return err
	}
	if _, err := account.CurrentUser(ctx); err != nil {
		return err
	}
	fmt.Fprintln(w, "With the right password again: OK")
	return nil
}
