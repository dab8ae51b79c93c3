package graphtest

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// deviceCode answers the device authorization endpoint (RFC 8628).
func (s *Server) deviceCode(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.writeOAuthError(w, invalidRequest("AADSTS900144: The request body must be form-encoded: "+err.Error()))
		return
	}
	clientID := r.PostForm.Get("client_id")
	scopes := strings.Fields(r.PostForm.Get("scope"))
	s.mu.Lock()
	var oerr *oauthError
	switch {
	case clientID == "":
		oerr = missingParam("client_id")
	case s.apps[clientID] == nil:
		oerr = &oauthError{http.StatusBadRequest, "unauthorized_client",
			fmt.Sprintf("AADSTS700016: Application with identifier '%s' was not found in the directory '%s'.", clientID, s.tenantID)}
	case len(scopes) == 0:
		oerr = missingParam("scope")
	}
	if oerr != nil {
		s.mu.Unlock()
		s.writeOAuthError(w, oerr)
		return
	}
	code, userCode := randomToken(), rand.Text()[:9]
	s.devices[code] = &deviceAuth{
		userCode: userCode,
		clientID: clientID,
		scopes:   scopes,
		expires:  s.now().Add(deviceCodeLifetime),
	}
	s.mu.Unlock()
	verify := s.loginBase(r) + "/common/oauth2/deviceauth"
	writeIdentityJSON(w, http.StatusOK, map[string]any{
		"device_code":      code,
		"user_code":        userCode,
		"verification_uri": verify,
		"expires_in":       int(deviceCodeLifetime / time.Second),
		"interval":         devicePollInterval,
		"message":          "To sign in, use a web browser to open the page " + verify + " and enter the code " + userCode + " to authenticate.",
	})
}

// deviceLoginPage stands in for the page where a user enters the code; the
// emulator approves codes through ApproveDevice or the signed-in user.
func (s *Server) deviceLoginPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintln(w, "<!DOCTYPE html><html><head><title>Enter code</title></head><body><p>Enter the code displayed on your app or device.</p></body></html>")
}

// ApproveDevice approves the pending device code with userCode as the user
// upn, so the client's next poll gets a token.
func (s *Server) ApproveDevice(userCode, upn string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userLocked(upn)
	if u == nil {
		return fmt.Errorf("graphtest: no user %q", upn)
	}
	for _, d := range s.devices {
		if strings.EqualFold(d.userCode, userCode) {
			d.approver = u
			return nil
		}
	}
	return fmt.Errorf("graphtest: no pending device code %q", userCode)
}

func (s *Server) redeemDeviceLocked(app *App, f url.Values) (map[string]any, *oauthError) {
	code := f.Get("device_code")
	if code == "" {
		return nil, missingParam("device_code")
	}
	d := s.devices[code]
	if d == nil || d.clientID != app.ClientID {
		return nil, invalidGrant("AADSTS70000: The provided value for the input parameter 'device_code' is not valid.")
	}
	if s.now().After(d.expires) {
		return nil, &oauthError{http.StatusBadRequest, "expired_token",
			"AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired."}
	}
	if d.approver == nil && !s.manualDevice {
		d.approver = s.userLocked(s.signedIn)
	}
	if d.approver == nil {
		return nil, &oauthError{http.StatusBadRequest, "authorization_pending",
			"AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling."}
	}
	delete(s.devices, code)
	who := principal{userID: d.approver.ID, upn: d.approver.UserPrincipalName, clientID: app.ClientID}
	scopes := d.scopes
	if v := strings.Fields(f.Get("scope")); len(v) > 0 {
		scopes = v
	}
	return s.tokenResponseLocked(who, d.approver, scopes, slices.Contains(scopes, "offline_access"), ""), nil
}
