package graphtest

// Discovery as MSAL libraries run it before their first token request:
// instance discovery (is this authority host valid, which hosts alias it,
// where is its OpenID configuration) and, for the username/password flow,
// the user realm (is the user's domain managed or federated).

import (
	"net"
	"net/http"
	"net/url"
	"strings"
)

func (s *Server) discoveryRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{tenant}/discovery/instance", s.instanceDiscovery)
	mux.HandleFunc("GET /{tenant}/UserRealm/{user}", s.userRealm)
}

// loginBase is the authority base URL as the client addressed it: the
// server's own URL, or https://login.microsoftonline.com when a client
// of a TLS server reached it under that name (Server.Client). OpenID
// configuration and client assertions name the host the client used, as
// MSAL checks the issuer against its authority.
func (s *Server) loginBase(r *http.Request) string {
	if s.useTLS && isCloudHost(hostOnly(r.Host)) {
		return "https://" + r.Host
	}
	return s.LoginURL()
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

// knownAuthority reports whether host (with its port) is an authority
// this server answers for: its own address, or a cloud host it is
// reached under.
func (s *Server) knownAuthority(host string) bool {
	own, err := url.Parse(s.LoginURL())
	if err != nil {
		return false
	}
	if strings.EqualFold(host, own.Host) {
		return true
	}
	if _, port, err := net.SplitHostPort(own.Host); err == nil && strings.EqualFold(host, "localhost:"+port) {
		return true
	}
	return s.useTLS && isCloudHost(host)
}

// instanceDiscovery answers GET /common/discovery/instance?api-version=1.1
// &authorization_endpoint=…: for an authority this server is, where its
// OpenID configuration is and which hosts share its cache; for any other,
// Entra ID's invalid_instance error.
func (s *Server) instanceDiscovery(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	endpoint := q.Get("authorization_endpoint")
	if endpoint == "" {
		s.writeOAuthError(w, missingParam("authorization_endpoint"))
		return
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		u = &url.URL{}
	}
	segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	if u.Scheme != "https" && !(u.Scheme == "http" && !s.useTLS) || len(segs) < 2 || !s.knownAuthority(u.Host) {
		writeIdentityJSON(w, http.StatusBadRequest, map[string]any{
			"error":             "invalid_instance",
			"error_description": "AADSTS50049: Unknown or invalid instance.",
			"error_codes":       []int{50049},
		})
		return
	}
	tenant := segs[0]
	aliases := []string{u.Host}
	if isCloudHost(u.Host) {
		aliases = []string{"login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"}
	}
	writeIdentityJSON(w, http.StatusOK, map[string]any{
		"tenant_discovery_endpoint": u.Scheme + "://" + u.Host + "/" + tenant + "/v2.0/.well-known/openid-configuration",
		"api-version":               "1.1",
		"metadata": []map[string]any{{
			"preferred_network": u.Host,
			"preferred_cache":   u.Host,
			"aliases":           aliases,
		}},
	})
}

// userRealm answers GET /common/UserRealm/{user}: every domain of the
// emulated directory is managed (cloud-only), so the password grant goes
// to the token endpoint.
func (s *Server) userRealm(w http.ResponseWriter, r *http.Request) {
	user := r.PathValue("user")
	_, domain, ok := strings.Cut(user, "@")
	if !ok || domain == "" {
		s.writeOAuthError(w, invalidRequest("AADSTS90002: The user name '"+user+"' has no domain."))
		return
	}
	writeIdentityJSON(w, http.StatusOK, map[string]any{
		"ver":                 "1.0",
		"account_type":        "Managed",
		"domain_name":         domain,
		"cloud_instance_name": "microsoftonline.com",
		"cloud_audience_urn":  "urn:federation:MicrosoftOnline",
	})
}
