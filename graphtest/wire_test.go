package graphtest_test

// Wire forms real clients send (Microsoft's SDKs and MSAL among them),
// each found by the compatibility suite in graphtest/compat.

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365/graphtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type wireFix struct {
	t     *testing.T
	srv   *graphtest.Server
	token string
}

func newWireFix(t *testing.T, opts ...graphtest.Option) *wireFix {
	srv := graphtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	srv.AddUser(graphtest.User{UserPrincipalName: "adele@contoso.com", DisplayName: "Adele Vance", Mail: "adele@contoso.com", Password: "pw"})
	srv.SignIn("adele@contoso.com")
	tok, err := srv.UserToken("adele@contoso.com", "User.Read", "Mail.ReadWrite", "Mail.Send", "Contacts.ReadWrite", "Files.ReadWrite.All", "Sites.ReadWrite.All")
	require.NoError(t, err)
	return &wireFix{t: t, srv: srv, token: tok}
}

// do sends a request to base+path (base "" is the server) and returns
// the status and body; redirects are not followed.
func (f *wireFix) do(method, rawURL string, body io.Reader, header ...string) (int, []byte, http.Header) {
	f.t.Helper()
	if strings.HasPrefix(rawURL, "/") {
		rawURL = f.srv.GraphURL() + rawURL
	}
	req, err := http.NewRequest(method, rawURL, body)
	require.NoError(f.t, err)
	req.Header.Set("Authorization", "Bearer "+f.token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	c := f.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(f.t, err)
	return resp.StatusCode, b, resp.Header
}

func (f *wireFix) json(method, path string, body io.Reader, header ...string) map[string]any {
	f.t.Helper()
	status, b, _ := f.do(method, path, body, header...)
	require.Less(f.t, status, 300, "%s %s: %d %s", method, path, status, b)
	var m map[string]any
	require.NoError(f.t, json.Unmarshal(b, &m))
	return m
}

func compress(t *testing.T, kind string, data []byte) []byte {
	var buf bytes.Buffer
	var w io.WriteCloser
	switch kind {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "deflate":
		w = zlib.NewWriter(&buf)
	case "raw-deflate":
		var err error
		w, err = flate.NewWriter(&buf, flate.DefaultCompression)
		require.NoError(t, err)
	}
	_, err := w.Write(data)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

func TestCompressedRequestBodies(t *testing.T) {
	f := newWireFix(t)
	for _, kind := range []string{"gzip", "deflate", "raw-deflate"} {
		body := compress(t, kind, []byte(`{"givenName":"`+kind+`","surname":"Body"}`))
		enc := strings.TrimPrefix(kind, "raw-")
		status, b, _ := f.do("POST", "/v1.0/me/contacts", bytes.NewReader(body), "Content-Type", "application/json", "Content-Encoding", enc)
		require.Equal(t, http.StatusCreated, status, "%s: %s", kind, b)
		assert.Contains(t, string(b), `"givenName":"`+kind+`"`)
	}
	list := f.json("GET", "/v1.0/me/contacts", nil)
	assert.Len(t, list["value"], 3)

	// A drive upload's bytes are the decoded body, not the gzip stream.
	status, b, _ := f.do("PUT", "/v1.0/me/drive/root:/z.txt:/content", bytes.NewReader(compress(t, "gzip", []byte("plain text"))), "Content-Encoding", "gzip")
	require.Equal(t, http.StatusCreated, status, string(b))
	driveID, err := f.srv.DriveOf("adele@contoso.com")
	require.NoError(t, err)
	got, err := f.srv.FileContent(driveID, "/z.txt")
	require.NoError(t, err)
	assert.Equal(t, "plain text", string(got))

	status, b, _ = f.do("POST", "/v1.0/me/contacts", strings.NewReader(`{"givenName":"x"}`), "Content-Encoding", "gzip")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, string(b), "not valid gzip")
	status, b, _ = f.do("POST", "/v1.0/me/contacts", strings.NewReader(`{"givenName":"x"}`), "Content-Encoding", "br")
	assert.Equal(t, http.StatusUnsupportedMediaType, status)
	assert.Contains(t, string(b), "'br' is not supported")
}

func TestBinaryPropertiesAreStandardBase64(t *testing.T) {
	f := newWireFix(t)
	for range 40 {
		_, err := f.srv.AddMessage("adele@contoso.com", "inbox", graphtest.MailMessage{Subject: "s", From: "x@contoso.com"})
		require.NoError(t, err)
	}
	list := f.json("GET", "/v1.0/me/messages?$select=conversationIndex&$top=40", nil)
	msgs := list["value"].([]any)
	require.Len(t, msgs, 40)
	var sawStdOnly bool
	for _, m := range msgs {
		idx := m.(map[string]any)["conversationIndex"].(string)
		_, err := base64.StdEncoding.DecodeString(idx)
		require.NoError(t, err, "Edm.Binary %q is standard base64", idx)
		sawStdOnly = sawStdOnly || strings.ContainsAny(idx, "+/")
	}
	assert.True(t, sawStdOnly, "40 random values use the standard alphabet's + or /")
}

func TestDriveItemAddressingForms(t *testing.T) {
	f := newWireFix(t)
	driveID, err := f.srv.DriveOf("adele@contoso.com")
	require.NoError(t, err)
	fileID, err := f.srv.AddFile(driveID, "/docs/a b.txt", []byte("hello"))
	require.NoError(t, err)
	docs := f.json("GET", "/v1.0/drives/"+driveID+"/root:/docs", nil)
	docsID := docs["id"].(string)
	site := f.srv.AddSite(graphtest.Site{Path: "/sites/x", DisplayName: "X"})

	d := "/v1.0/drives/" + url.PathEscape(driveID)
	for _, path := range []string{
		d + "/items/" + fileID,
		d + "/items/root:/docs/a%20b.txt:",
		d + "/items/root%3A%2Fdocs%2Fa%20b.txt%3A",    // the id escaped as one path parameter
		d + "/items/" + docsID + ":/a%20b.txt:",       // relative to an item
		d + "/items/" + docsID + "%3A%2Fa%20b.txt%3A", // the same, escaped
		d + "/root:/docs/a%20b.txt:",
		"/v1.0/me/drive/items/root:/docs/a%20b.txt:",
		"/v1.0/me/drive/root:/docs/a%20b.txt:",
		"/v1.0/users/adele@contoso.com/drive/items/" + fileID,
		"/v1.0/users/adele@contoso.com/drive/root:/docs/a%20b.txt:",
	} {
		it := f.json("GET", path, nil)
		assert.Equal(t, fileID, it["id"], path)
		status, _, h := f.do("GET", path+"/content", nil)
		assert.Equal(t, http.StatusFound, status, path+"/content")
		assert.NotEmpty(t, h.Get("Location"))
	}
	for _, path := range []string{d + "/items/root/children", d + "/items/root:/docs:/children", d + "/items/ROOT/children"} {
		kids := f.json("GET", path, nil)["value"].([]any)
		require.Len(t, kids, 1, path)
	}
	root := f.json("GET", d+"/items/root", nil)
	assert.Contains(t, root, "root")
	// Upload to an escaped path creates it.
	status, b, _ := f.do("PUT", d+"/items/root%3A%2Fnew%2Fn.txt%3A/content", strings.NewReader("n"))
	require.Equal(t, http.StatusCreated, status, string(b))
	got, err := f.srv.FileContent(driveID, "/new/n.txt")
	require.NoError(t, err)
	assert.Equal(t, "n", string(got))
	// A site's default library, by its items/root form.
	status, b, _ = f.do("GET", "/v1.0/sites/"+site.ID+"/drive/items/root/children", nil)
	assert.Equal(t, http.StatusOK, status, string(b))
	status, _, _ = f.do("GET", d+"/items/root:/missing.txt:", nil)
	assert.Equal(t, http.StatusNotFound, status)
	assert.Contains(t, f.json("GET", d+"/root", nil), "root", "/drives/{id}/root")

	// A group's and a site's library answer the same forms.
	g, err := f.srv.AddGroup(graphtest.Group{DisplayName: "Sales", MailNickname: "sales", MailEnabled: true,
		GroupTypes: []string{"Unified"}, Members: []string{"adele@contoso.com"}, Owners: []string{"adele@contoso.com"}})
	require.NoError(t, err)
	for _, lib := range []string{"/v1.0/groups/" + g.ID + "/drive", "/v1.0/sites/" + site.ID + "/drive"} {
		status, b, _ := f.do("PUT", lib+"/root:/plans/q3.txt:/content", strings.NewReader("q3"))
		require.Equal(t, http.StatusCreated, status, "%s: %s", lib, b)
		var up map[string]any
		require.NoError(t, json.Unmarshal(b, &up))
		id := up["id"].(string)
		plans := f.json("GET", lib+"/root:/plans", nil)["id"].(string)
		for _, path := range []string{lib + "/items/" + id, lib + "/items/root:/plans/q3.txt:", lib + "/items/" + plans + ":/q3.txt:"} {
			assert.Equal(t, id, f.json("GET", path, nil)["id"], path)
		}
		assert.Len(t, f.json("GET", lib+"/root:/plans:/children", nil)["value"], 1, lib)
		assert.Contains(t, f.json("GET", lib+"/root", nil), "root", lib+"/root")
	}
}

func TestFunctionCallSyntax(t *testing.T) {
	f := newWireFix(t)
	_, err := f.srv.AddMessage("adele@contoso.com", "inbox", graphtest.MailMessage{Subject: "one", From: "x@contoso.com"})
	require.NoError(t, err)
	for _, path := range []string{
		"/v1.0/me/mailFolders/inbox/messages/delta",
		"/v1.0/me/mailFolders/inbox/messages/delta()",
		"/v1.0/me/mailFolders/inbox/messages/microsoft.graph.delta()",
		"/v1.0/me/mailFolders/inbox/messages/microsoft.graph.delta",
		"/v1.0/me/mailFolders/inbox/messages/delta%28%29", // as msgraph-sdk-go sends it
	} {
		page := f.json("GET", path, nil)
		assert.Len(t, page["value"], 1, path)
		link, _ := page["@odata.deltaLink"].(string)
		assert.Contains(t, link, "/messages/delta?", path)
	}
	// A qualified action.
	status, b, _ := f.do("POST", "/v1.0/me/microsoft.graph.sendMail", strings.NewReader(
		`{"message":{"subject":"hi","toRecipients":[{"emailAddress":{"address":"adele@contoso.com"}}]}}`), "Content-Type", "application/json")
	require.Equal(t, http.StatusAccepted, status, string(b))
	// getSchedule by its qualified name, its parameters capitalised as
	// Outlook's API declares them.
	calTok, err := f.srv.UserToken("adele@contoso.com", "Calendars.Read")
	require.NoError(t, err)
	start := time.Now().UTC().Truncate(time.Hour)
	sched := `{"Schedules":["adele@contoso.com"],"StartTime":{"dateTime":"` + start.Format("2006-01-02T15:04:05") +
		`","timeZone":"UTC"},"EndTime":{"dateTime":"` + start.Add(2*time.Hour).Format("2006-01-02T15:04:05") + `","timeZone":"UTC"}}`
	req, err := http.NewRequest("POST", f.srv.GraphURL()+"/v1.0/me/calendar/microsoft.graph.getSchedule()", strings.NewReader(sched))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+calTok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := f.srv.Client().Do(req)
	require.NoError(t, err)
	sb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(sb))
	assert.Contains(t, string(sb), `"scheduleId":"adele@contoso.com"`)
	// Drive functions keep their arguments: delta(token='…').
	first := f.json("GET", "/v1.0/me/drive/root/microsoft.graph.delta()", nil)
	link := first["@odata.deltaLink"].(string)
	u, err := url.Parse(link)
	require.NoError(t, err)
	tok := u.Query().Get("token")
	require.NotEmpty(t, tok)
	again := f.json("GET", "/v1.0/me/drive/root/delta(token='"+tok+"')", nil)
	assert.Empty(t, again["value"])
}

func TestQueryPropertyNamesIgnoreCase(t *testing.T) {
	f := newWireFix(t)
	for _, s := range []string{"b", "c", "a"} {
		_, err := f.srv.AddMessage("adele@contoso.com", "inbox", graphtest.MailMessage{Subject: s, From: "x@contoso.com"})
		require.NoError(t, err)
	}
	page := f.json("GET", "/v1.0/me/messages?$orderby=Subject%20desc&$select=SUBJECT", nil)
	var got []string
	for _, m := range page["value"].([]any) {
		mm := m.(map[string]any)
		got = append(got, mm["subject"].(string))
		assert.NotContains(t, mm, "body", "$select names ignore case")
	}
	assert.Equal(t, []string{"c", "b", "a"}, got)
	page = f.json("GET", "/v1.0/me/messages?$filter=SUBJECT%20eq%20'b'", nil)
	assert.Len(t, page["value"], 1)
}

func TestTLSServesMicrosoftHosts(t *testing.T) {
	f := newWireFix(t, graphtest.WithTLS(), graphtest.WithPageSize(1))
	require.True(t, strings.HasPrefix(f.srv.URL, "https://"))
	require.NotNil(t, f.srv.Certificate())
	assert.True(t, strings.HasPrefix(f.srv.StorageURL(), "https://"))
	for range 2 {
		_, err := f.srv.AddMessage("adele@contoso.com", "inbox", graphtest.MailMessage{Subject: "s", From: "x@contoso.com"})
		require.NoError(t, err)
	}
	// Production URLs reach the server through its client.
	page := f.json("GET", "https://graph.microsoft.com/v1.0/me/messages", nil)
	next := page["@odata.nextLink"].(string)
	assert.True(t, strings.HasPrefix(next, "https://graph.microsoft.com/v1.0/me/messages?"), next)
	page = f.json("GET", next, nil)
	assert.Len(t, page["value"], 1)
	// So do links answered inside a batch sent to that host.
	batch := f.json("POST", "https://graph.microsoft.com/v1.0/$batch", strings.NewReader(
		`{"requests":[{"id":"1","method":"GET","url":"/me/messages"}]}`), "Content-Type", "application/json")
	inner := batch["responses"].([]any)[0].(map[string]any)["body"].(map[string]any)
	assert.True(t, strings.HasPrefix(inner["@odata.nextLink"].(string), "https://graph.microsoft.com/v1.0/me/messages?"))
	// Its own address answers links with its own address.
	page = f.json("GET", f.srv.GraphURL()+"/v1.0/me/messages", nil)
	assert.True(t, strings.HasPrefix(page["@odata.nextLink"].(string), f.srv.GraphURL()))

	cfg := f.json("GET", "https://login.microsoftonline.com/"+f.srv.TenantID()+"/v2.0/.well-known/openid-configuration", nil)
	assert.Equal(t, "https://login.microsoftonline.com/"+f.srv.TenantID()+"/v2.0", cfg["issuer"])
	assert.Equal(t, "https://login.microsoftonline.com/"+f.srv.TenantID()+"/oauth2/v2.0/token", cfg["token_endpoint"])
	cfg = f.json("GET", f.srv.LoginURL()+"/common/v2.0/.well-known/openid-configuration", nil)
	assert.Equal(t, f.srv.LoginURL()+"/{tenantid}/v2.0", cfg["issuer"])

	// A plain server is unchanged.
	plain := graphtest.NewServer()
	defer plain.Close()
	assert.True(t, strings.HasPrefix(plain.URL, "http://"))
	assert.Nil(t, plain.Certificate())
}

func TestInstanceDiscoveryAndUserRealm(t *testing.T) {
	f := newWireFix(t, graphtest.WithTLS())
	disc := func(endpoint string) (int, map[string]any) {
		status, b, _ := f.do("GET", "https://login.microsoftonline.com/common/discovery/instance?api-version=1.1&authorization_endpoint="+url.QueryEscape(endpoint), nil)
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m))
		return status, m
	}
	status, m := disc(f.srv.LoginURL() + "/contoso.com/oauth2/v2.0/authorize")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, f.srv.LoginURL()+"/contoso.com/v2.0/.well-known/openid-configuration", m["tenant_discovery_endpoint"])
	host := strings.TrimPrefix(f.srv.LoginURL(), "https://")
	assert.Equal(t, []any{host}, m["metadata"].([]any)[0].(map[string]any)["aliases"])
	status, m = disc("https://login.microsoftonline.com/common/oauth2/v2.0/authorize")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, m["metadata"].([]any)[0].(map[string]any)["aliases"], "login.windows.net")
	status, m = disc("https://evil.example/common/oauth2/v2.0/authorize")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "invalid_instance", m["error"])

	realm := f.json("GET", f.srv.LoginURL()+"/common/UserRealm/adele@contoso.com?api-version=1.0", nil)
	assert.Equal(t, "Managed", realm["account_type"])
	assert.Equal(t, "contoso.com", realm["domain_name"])
	status, _, _ = f.do("GET", f.srv.LoginURL()+"/common/UserRealm/nodomain", nil)
	assert.Equal(t, http.StatusBadRequest, status)
}

func TestClientInfoOnRequest(t *testing.T) {
	f := newWireFix(t)
	f.srv.AddApp(graphtest.App{ClientID: "cli", Public: true})
	token := func(clientInfo bool) map[string]any {
		form := url.Values{"grant_type": {"password"}, "client_id": {"cli"}, "username": {"adele@contoso.com"},
			"password": {"pw"}, "scope": {"openid User.Read"}}
		if clientInfo {
			form.Set("client_info", "1")
		}
		resp, err := f.srv.Client().PostForm(f.srv.LoginURL()+"/organizations/oauth2/v2.0/token", form)
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		require.Equal(t, http.StatusOK, resp.StatusCode, m)
		return m
	}
	assert.NotContains(t, token(false), "client_info")
	ci := token(true)["client_info"].(string)
	raw, err := base64.RawURLEncoding.DecodeString(ci)
	require.NoError(t, err)
	var info map[string]string
	require.NoError(t, json.Unmarshal(raw, &info))
	assert.Equal(t, f.srv.TenantID(), info["utid"])
	assert.NotEmpty(t, info["uid"])
}

// psAssertion is a client assertion signed as MSAL signs it: PS256.
func psAssertion(t *testing.T, key *rsa.PrivateKey, clientID, aud string) string {
	seg := func(v any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	now := time.Now()
	signing := seg(map[string]any{"alg": "PS256", "typ": "JWT"}) + "." +
		seg(map[string]any{"aud": aud, "iss": clientID, "sub": clientID, "jti": "j", "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix()})
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPSS(rand.Reader, key, crypto.SHA256, sum[:], nil)
	require.NoError(t, err)
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func TestMSALTokenRequestForms(t *testing.T) {
	f := newWireFix(t)
	cert, key, err := graphtest.NewCertificate("daemon")
	require.NoError(t, err)
	f.srv.AddApp(graphtest.App{ClientID: "daemon", ClientSecret: "s", Certificate: cert})
	f.srv.AddApp(graphtest.App{ClientID: "cli", Public: true})
	tokenURL := f.srv.LoginURL() + "/" + f.srv.TenantID() + "/oauth2/v2.0/token"
	post := func(form url.Values) (int, map[string]any) {
		resp, err := f.srv.Client().PostForm(tokenURL, form)
		require.NoError(t, err)
		defer resp.Body.Close()
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		return resp.StatusCode, m
	}

	// MSAL adds the OpenID Connect scopes to client credentials requests.
	status, m := post(url.Values{"grant_type": {"client_credentials"}, "client_id": {"daemon"}, "client_secret": {"s"},
		"scope": {"https://graph.microsoft.com/.default openid offline_access profile"}, "client_info": {"1"}})
	require.Equal(t, http.StatusOK, status, m)
	assert.Equal(t, "https://graph.microsoft.com/.default", m["scope"])
	status, m = post(url.Values{"grant_type": {"client_credentials"}, "client_id": {"daemon"}, "client_secret": {"s"},
		"scope": {"https://graph.microsoft.com/.default User.Read"}})
	assert.Equal(t, http.StatusBadRequest, status, "two resources' scopes stay an error")
	assert.Equal(t, "invalid_scope", m["error"])

	// PS256 client assertions, as MSAL signs them.
	status, m = post(url.Values{"grant_type": {"client_credentials"}, "client_id": {"daemon"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {psAssertion(t, key, "daemon", tokenURL)}, "scope": {"https://graph.microsoft.com/.default"}})
	require.Equal(t, http.StatusOK, status, m)
	_, otherKey, err := graphtest.NewCertificate("intruder")
	require.NoError(t, err)
	status, m = post(url.Values{"grant_type": {"client_credentials"}, "client_id": {"daemon"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {psAssertion(t, otherKey, "daemon", tokenURL)}, "scope": {"https://graph.microsoft.com/.default"}})
	assert.Equal(t, http.StatusUnauthorized, status, "a PS256 signature by another key")
	assert.Equal(t, "invalid_client", m["error"])

	// The device code grant under MSAL's short name.
	resp, err := f.srv.Client().PostForm(f.srv.LoginURL()+"/organizations/oauth2/v2.0/devicecode",
		url.Values{"client_id": {"cli"}, "scope": {"User.Read offline_access"}})
	require.NoError(t, err)
	var dc map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&dc))
	resp.Body.Close()
	status, m = post(url.Values{"grant_type": {"device_code"}, "client_id": {"cli"}, "device_code": {dc["device_code"].(string)}})
	require.Equal(t, http.StatusOK, status, m)
	assert.NotEmpty(t, m["access_token"])
	assert.Equal(t, 1, f.srv.TokenRequests(graphtest.GrantDeviceCode), "counted under the grant's URN")
}

func TestActionParametersIgnoreCase(t *testing.T) {
	f := newWireFix(t)
	// msgraph-sdk-go's sendMail body: Message and SaveToSentItems.
	status, b, _ := f.do("POST", "/v1.0/me/sendMail", strings.NewReader(
		`{"Message":{"subject":"pascal","toRecipients":[{"emailAddress":{"address":"adele@contoso.com"}}]},"SaveToSentItems":true}`),
		"Content-Type", "application/json")
	require.Equal(t, http.StatusAccepted, status, string(b))
	inbox := f.json("GET", "/v1.0/me/mailFolders/inbox/messages", nil)["value"].([]any)
	require.Len(t, inbox, 1)
	id := inbox[0].(map[string]any)["id"].(string)
	folder := f.json("POST", "/v1.0/me/mailFolders", strings.NewReader(`{"displayName":"Keep"}`), "Content-Type", "application/json")
	moved := f.json("POST", "/v1.0/me/messages/"+url.PathEscape(id)+"/move", strings.NewReader(`{"DestinationId":"`+folder["id"].(string)+`"}`), "Content-Type", "application/json")
	assert.Equal(t, folder["id"], moved["parentFolderId"])
	// Microsoft's docs write createUploadSession's parameter capitalised;
	// a camelCase one works too.
	draft := f.json("POST", "/v1.0/me/messages", strings.NewReader(`{"subject":"d"}`), "Content-Type", "application/json")
	sess := f.json("POST", "/v1.0/me/messages/"+url.PathEscape(draft["id"].(string))+"/attachments/createUploadSession",
		strings.NewReader(`{"attachmentItem":{"attachmentType":"file","name":"a.bin","size":4000000}}`), "Content-Type", "application/json")
	assert.NotEmpty(t, sess["uploadUrl"])
}

// A workbook session made with Prefer: respond-async on a TLS server
// reached as graph.microsoft.com is monitored at that host, as Graph
// answers: the SDK's token provider sends its token only there.
func TestWorkbookOperationLinksNameTheHostAsked(t *testing.T) {
	f := newWireFix(t, graphtest.WithTLS())
	it := f.json("PUT", "https://graph.microsoft.com/v1.0/me/drive/root:/Book.xlsx:/content", strings.NewReader("PK"))
	wb := "https://graph.microsoft.com/v1.0/me/drive/items/" + it["id"].(string) + "/workbook"
	status, _, h := f.do("POST", wb+"/createSession", strings.NewReader(`{"persistChanges":false}`),
		"Content-Type", "application/json", "Prefer", "respond-async")
	require.Equal(t, http.StatusAccepted, status)
	monitor := h.Get("Location")
	require.True(t, strings.HasPrefix(monitor, wb+"/operations/"), monitor)
	var op map[string]any
	for range 5 {
		if op = f.json("GET", monitor, nil); op["status"] == "succeeded" {
			break
		}
	}
	loc, _ := op["resourceLocation"].(string)
	require.True(t, strings.HasPrefix(loc, wb+"/sessionInfoResource("), "%v", op)
	assert.NotEmpty(t, f.json("GET", loc, nil)["id"])
}

// msgraph-sdk-go addresses a child folder under its parent
// (mailFolders/{parent}/childFolders/{id}/…) and a message under its
// folder (mailFolders/{id}/messages/{id}/…), for every operation.
func TestMailFolderAndMessageAddressing(t *testing.T) {
	f := newWireFix(t)
	parent := f.json("POST", "/v1.0/me/mailFolders", strings.NewReader(`{"displayName":"Projects"}`), "Content-Type", "application/json")
	pid := parent["id"].(string)
	child := f.json("POST", "/v1.0/me/mailFolders/"+pid+"/childFolders", strings.NewReader(`{"displayName":"Contoso"}`), "Content-Type", "application/json")
	cid := child["id"].(string)
	under := "/v1.0/me/mailFolders/" + pid + "/childFolders/" + cid

	assert.Equal(t, "Contoso", f.json("GET", under, nil)["displayName"])
	msg := f.json("POST", under+"/messages", strings.NewReader(`{"subject":"filed"}`), "Content-Type", "application/json")
	mid := msg["id"].(string)
	assert.Equal(t, cid, msg["parentFolderId"])
	assert.Len(t, f.json("GET", "/v1.0/me/mailFolders/"+cid+"/messages", nil)["value"], 1)
	grand := f.json("POST", under+"/childFolders", strings.NewReader(`{"displayName":"2024"}`), "Content-Type", "application/json")
	assert.Equal(t, cid, grand["parentFolderId"])

	upd := f.json("PATCH", under+"/messages/"+mid, strings.NewReader(`{"subject":"refiled"}`), "Content-Type", "application/json")
	assert.Equal(t, "refiled", upd["subject"])
	att := f.json("POST", "/v1.0/me/mailFolders/"+cid+"/messages/"+mid+"/attachments", strings.NewReader(
		`{"@odata.type":"#microsoft.graph.fileAttachment","name":"a.txt","contentBytes":"aGk="}`), "Content-Type", "application/json")
	assert.Equal(t, "a.txt", att["name"])
	moved := f.json("POST", under+"/messages/"+mid+"/move", strings.NewReader(`{"destinationId":"`+pid+`"}`), "Content-Type", "application/json")
	assert.Equal(t, pid, moved["parentFolderId"])
	mid = moved["id"].(string)

	// The wrong parent, or a message outside the folder named, is not found.
	inbox := f.json("GET", "/v1.0/me/mailFolders/inbox", nil)["id"].(string)
	for _, path := range []string{
		"/v1.0/me/mailFolders/" + inbox + "/childFolders/" + cid,
		"/v1.0/me/mailFolders/inbox/childFolders/" + cid + "/messages",
		under + "/messages/" + mid,
	} {
		status, b, _ := f.do("GET", path, nil)
		assert.Equal(t, http.StatusNotFound, status, "%s: %s", path, b)
	}
	status, b, _ := f.do("DELETE", "/v1.0/me/mailFolders/"+pid+"/messages/"+mid, nil)
	require.Equal(t, http.StatusNoContent, status, string(b))
	status, b, _ = f.do("DELETE", under, nil)
	require.Equal(t, http.StatusNoContent, status, string(b))
	assert.Empty(t, f.json("GET", "/v1.0/me/mailFolders/"+pid+"/childFolders", nil)["value"])
}

// A collection's $count segment answers the number of matching items as
// text/plain, with the collection's own rules (ConsistencyLevel for the
// directory); SDKs call it through their Count() builders.
func TestCountSegment(t *testing.T) {
	f := newWireFix(t)
	f.srv.AddUser(graphtest.User{UserPrincipalName: "megan@contoso.com", DisplayName: "Megan Bowen"})
	for i := range 3 {
		_, err := f.srv.AddMessage("adele@contoso.com", "inbox", graphtest.MailMessage{Subject: "s", From: "x@contoso.com", IsRead: i == 0})
		require.NoError(t, err)
	}
	for path, want := range map[string]string{
		"/v1.0/me/messages/$count": "3",
		"/v1.0/me/mailFolders/inbox/messages/%24count?$filter=isRead%20eq%20false": "2",
		"/v1.0/me/mailFolders/$count": "", // any number: the well-known folders
	} {
		status, b, h := f.do("GET", path, nil)
		require.Equal(t, http.StatusOK, status, "%s: %s", path, b)
		assert.True(t, strings.HasPrefix(h.Get("Content-Type"), "text/plain"), path)
		if want != "" {
			assert.Equal(t, want, string(b), path)
		} else {
			assert.Regexp(t, `^[1-9][0-9]*$`, string(b), path)
		}
	}
	status, b, _ := f.do("GET", "/v1.0/users/$count", nil)
	assert.Equal(t, http.StatusBadRequest, status, "the directory needs ConsistencyLevel: %s", b)
	status, b, _ = f.do("GET", "/v1.0/users/$count", nil, "ConsistencyLevel", "eventual")
	require.Equal(t, http.StatusOK, status, string(b))
	assert.Equal(t, "2", string(b))
	status, b, _ = f.do("GET", "/v1.0/me/$count", nil)
	assert.Equal(t, http.StatusBadRequest, status, "not a collection: %s", b)
	assert.Contains(t, string(b), "$count")
}

// Writes as msgraph-sdk-go sends them: a drive item PATCH carries
// @odata.type annotations (Graph ignores them), and a profile photo is
// set with PUT /me/photo/$value.
func TestWritesAsTheSDKSendsThem(t *testing.T) {
	f := newWireFix(t)
	driveID, err := f.srv.DriveOf("adele@contoso.com")
	require.NoError(t, err)
	fileID, err := f.srv.AddFile(driveID, "/in/scan.pdf", []byte("%PDF"))
	require.NoError(t, err)
	_, err = f.srv.AddFile(driveID, "/archive/keep.txt", []byte("k"))
	require.NoError(t, err)
	archive := f.json("GET", "/v1.0/me/drive/root:/archive", nil)["id"].(string)
	moved := f.json("PATCH", "/v1.0/me/drive/items/"+fileID, strings.NewReader(`{"@odata.type":"#microsoft.graph.driveItem","name":"invoice.pdf",`+
		`"parentReference":{"@odata.type":"#microsoft.graph.itemReference","id":"`+archive+`"}}`), "Content-Type", "application/json")
	assert.Equal(t, "invoice.pdf", moved["name"])
	assert.Equal(t, fileID, f.json("GET", "/v1.0/me/drive/root:/archive/invoice.pdf", nil)["id"])
	status, b, _ := f.do("PATCH", "/v1.0/me/drive/items/"+fileID, strings.NewReader(`{"size":1}`), "Content-Type", "application/json")
	assert.Equal(t, http.StatusBadRequest, status, "a read-only property is still refused: %s", b)

	jpeg := []byte{0xff, 0xd8, 0xff, 0xe0, 1, 2, 3}
	status, b, _ = f.do("PUT", "/v1.0/me/photo/$value", bytes.NewReader(jpeg), "Content-Type", "image/jpeg")
	assert.Equal(t, http.StatusForbidden, status, "User.Read cannot write: %s", b)
	rw, err := f.srv.UserToken("adele@contoso.com", "User.ReadWrite")
	require.NoError(t, err)
	put := func(path, token string, body []byte, contentType string) int {
		req, err := http.NewRequest("PUT", f.srv.GraphURL()+path, bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", contentType)
		resp, err := f.srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusOK, put("/v1.0/me/photo/$value", rw, jpeg, "image/jpeg"))
	assert.Equal(t, http.StatusBadRequest, put("/v1.0/me/photo/$value", rw, []byte("x"), "text/plain"))
	f.srv.AddUser(graphtest.User{UserPrincipalName: "megan@contoso.com", DisplayName: "Megan"})
	assert.Equal(t, http.StatusForbidden, put("/v1.0/users/megan@contoso.com/photo/$value", rw, jpeg, "image/jpeg"), "another user's needs .All")
	status, got, h := f.do("GET", "/v1.0/me/photo/$value", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, jpeg, got)
	assert.Equal(t, "image/jpeg", h.Get("Content-Type"))
}
