package graphtest_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest"
)

// graphDo sends a Graph request with a JSON body (or raw bytes for []byte)
// and decodes the JSON answer, if any.
func graphDo(t *testing.T, srv *graphtest.Server, token, method, path string, body any, header ...string) graphResponse {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
		header = append([]string{"Content-Type", "application/json"}, header...)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, srv.GraphURL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var decoded map[string]any
	if len(raw) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, &decoded); err != nil {
			t.Fatalf("%s %s: %d, body is not JSON: %v", method, path, resp.StatusCode, err)
		}
	}
	return graphResponse{resp, decoded}
}

func requireStatus(t *testing.T, r graphResponse, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: %d %v, want %d", r.Request.Method, r.Request.URL.Path, r.StatusCode, r.body, status)
	}
}

func contactsToken(t *testing.T, srv *graphtest.Server, upn string, scopes ...string) string {
	t.Helper()
	if len(scopes) == 0 {
		scopes = []string{"Contacts.ReadWrite"}
	}
	tok, err := srv.UserToken(upn, scopes...)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func keysOf(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// writableContact is a contact body made of the writable, non-null properties of
// a contact as Graph answers it.
func writableContact(contact map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range contact {
		switch k {
		case "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "parentFolderId":
			continue
		}
		if v != nil {
			out[k] = v
		}
	}
	return out
}

// A contact made from Microsoft's get example comes back with the same
// properties, by the same names, and the same values.
func TestContactMatchesMicrosoftExample(t *testing.T) {
	f := newFixture(t)
	tok := contactsToken(t, f.srv, f.adele.UserPrincipalName)
	want := exampleBody(t, "contacts/contacts.json", "contact-get#1")

	created := graphDo(t, f.srv, tok, "POST", "/v1.0/me/contacts", writableContact(want))
	requireStatus(t, created, http.StatusCreated)
	id := created.body["id"].(string)
	got := graphDo(t, f.srv, tok, "GET", "/v1.0/me/contacts/"+url.PathEscape(id), nil)
	requireStatus(t, got, http.StatusOK)

	wantKeys := append(keysOf(want), "@odata.context", "@odata.etag")
	slices.Sort(wantKeys)
	if keys := keysOf(got.body); !slices.Equal(keys, wantKeys) {
		t.Errorf("keys\n%v\nwant Microsoft's\n%v", keys, wantKeys)
	}
	for k, v := range writableContact(want) {
		g := got.body[k]
		if k == "birthday" {
			v = "1974-07-22T00:00:00Z" // Graph's DateTimeOffset for the example's date
		}
		if !sameJSON(g, v) {
			t.Errorf("%s = %v, want %v", k, g, v)
		}
	}
	if got.body["parentFolderId"] == nil || got.body["changeKey"] == nil {
		t.Errorf("parentFolderId and changeKey are set: %v", got.body)
	}
	if ctx, want := got.body["@odata.context"], f.srv.GraphURL()+"/v1.0/$metadata#users('"+f.adele.ID+"')/contacts/$entity"; ctx != want {
		t.Errorf("@odata.context = %v, want %s", ctx, want)
	}

	// Microsoft's create example: the display name is made from the names.
	post := contactExample(t, "user-post-contacts#1")
	r := graphDo(t, f.srv, tok, "POST", "/v1.0/me/contacts", post["request_body"])
	requireStatus(t, r, http.StatusCreated)
	if r.body["displayName"] != "Pavel Bansky" {
		t.Errorf("displayName = %v", r.body["displayName"])
	}

	// Microsoft's update example.
	update := contactExample(t, "contact-update#1")
	r = graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/contacts/"+url.PathEscape(id), update["request_body"])
	requireStatus(t, r, http.StatusOK)
	if home := r.body["homeAddress"].(map[string]any); home["city"] != "Seattle" || home["street"] != "123 Some street" {
		t.Errorf("homeAddress = %v", home)
	}
	if r.body["changeKey"] == got.body["changeKey"] {
		t.Error("an update renews the change key")
	}
	if r.body["companyName"] != "Contoso, Inc." {
		t.Errorf("an update keeps what it does not name: companyName = %v", r.body["companyName"])
	}
}

// contactExample returns a whole entry of testdata/contacts/contacts.json.
func contactExample(t *testing.T, id string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("testdata/contacts/contacts.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Examples []map[string]any `json:"examples"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, e := range doc.Examples {
		if e["id"] == id {
			return e
		}
	}
	t.Fatalf("no example %s", id)
	return nil
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestContactFoldersMatchMicrosoftExamples(t *testing.T) {
	f := newFixture(t)
	tok := contactsToken(t, f.srv, f.adele.UserPrincipalName)
	want := keysOf(exampleBody(t, "contacts/contacts.json", "contactfolder-get#1"))

	r := graphDo(t, f.srv, tok, "POST", "/v1.0/me/contactFolders", map[string]any{"displayName": "Finance"})
	requireStatus(t, r, http.StatusCreated)
	finance := r.body["id"].(string)
	r = graphDo(t, f.srv, tok, "GET", "/v1.0/me/contactFolders/"+finance, nil)
	requireStatus(t, r, http.StatusOK)
	if got := keysOf(withoutContext(r.body)); !slices.Equal(got, want) {
		t.Errorf("folder keys %v, want %v", got, want)
	}
	defaultID := r.body["parentFolderId"].(string)

	// Microsoft's create example names the parent explicitly: the default folder.
	r = graphDo(t, f.srv, tok, "POST", "/v1.0/me/contactFolders", map[string]any{"parentFolderId": defaultID, "displayName": "Important contacts"})
	requireStatus(t, r, http.StatusCreated)
	// Child folders.
	r = graphDo(t, f.srv, tok, "POST", "/v1.0/me/contactFolders/"+finance+"/childFolders", map[string]any{"displayName": "Family"})
	requireStatus(t, r, http.StatusCreated)
	family := r.body["id"].(string)
	if r.body["parentFolderId"] != finance {
		t.Errorf("child's parent = %v", r.body["parentFolderId"])
	}

	top := get(t, f.srv, tok, "/v1.0/me/contactFolders")
	requireStatus(t, top, http.StatusOK)
	if n := len(top.body["value"].([]any)); n != 2 {
		t.Errorf("%d top folders, want Finance and Important contacts", n)
	}
	children := get(t, f.srv, tok, "/v1.0/me/contactFolders/"+finance+"/childFolders")
	if ctx := children.body["@odata.context"].(string); !strings.HasSuffix(ctx, "/contactFolders('"+finance+"')/childFolders") {
		t.Errorf("@odata.context = %s", ctx)
	}
	// The default folder is readable by id.
	r = get(t, f.srv, tok, "/v1.0/me/contactFolders/"+defaultID)
	if r.body["displayName"] != "Contacts" {
		t.Errorf("default folder %v", r.body)
	}

	// Renames and moves.
	checkGraphError(t, graphDo(t, f.srv, tok, "POST", "/v1.0/me/contactFolders", map[string]any{"displayName": "FINANCE"}),
		http.StatusConflict, "ErrorFolderExists", "A folder with the specified name already exists.")
	checkGraphError(t, graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/contactFolders/"+finance, map[string]any{"parentFolderId": family}),
		http.StatusBadRequest, "ErrorMoveCopyFailed", "A folder cannot be moved into itself or one of its subfolders.")
	checkGraphError(t, graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/contactFolders/"+defaultID, map[string]any{"displayName": "Mine"}),
		http.StatusBadRequest, "ErrorInvalidRequest", "The default Contacts folder cannot be renamed or moved.")
	checkGraphError(t, graphDo(t, f.srv, tok, "DELETE", "/v1.0/me/contactFolders/"+defaultID, nil),
		http.StatusForbidden, "ErrorDeleteDistinguishedFolder", "Distinguished folders cannot be deleted.")
	checkGraphError(t, graphDo(t, f.srv, tok, "POST", "/v1.0/me/contactFolders", map[string]any{"displayName": " "}),
		http.StatusBadRequest, "ErrorInvalidRequest", "The folder name must not be empty.")
	r = graphDo(t, f.srv, tok, "PATCH", "/v1.0/me/contactFolders/"+family, map[string]any{"parentFolderId": defaultID, "displayName": "Kin"})
	requireStatus(t, r, http.StatusOK)
	if r.body["displayName"] != "Kin" || r.body["parentFolderId"] != defaultID {
		t.Errorf("after PATCH: %v", r.body)
	}

	// Deleting a folder deletes its contacts and child folders.
	r = graphDo(t, f.srv, tok, "POST", "/v1.0/me/contactFolders/"+family+"/childFolders", map[string]any{"displayName": "Cousins"})
	cousins := r.body["id"].(string)
	r = graphDo(t, f.srv, tok, "POST", "/v1.0/me/contactFolders/"+cousins+"/contacts", map[string]any{"givenName": "Ann"})
	requireStatus(t, r, http.StatusCreated)
	ann := r.body["id"].(string)
	requireStatus(t, graphDo(t, f.srv, tok, "DELETE", "/v1.0/me/contactFolders/"+family, nil), http.StatusNoContent)
	checkGraphError(t, get(t, f.srv, tok, "/v1.0/me/contacts/"+ann), http.StatusNotFound, "ErrorItemNotFound",
		"The specified object was not found in the store.")
	checkGraphError(t, get(t, f.srv, tok, "/v1.0/me/contactFolders/"+cousins), http.StatusNotFound, "ErrorItemNotFound",
		"The specified object was not found in the store.")
}

func TestContactsAccess(t *testing.T) {
	f := newFixture(t)
	adele, alex := f.adele.UserPrincipalName, f.alex.UserPrincipalName
	if _, err := f.srv.AddContact(alex, "", map[string]any{"givenName": "Isaiah"}); err != nil {
		t.Fatal(err)
	}
	denied := func(r graphResponse) {
		t.Helper()
		checkGraphError(t, r, http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
	}

	denied(get(t, f.srv, contactsToken(t, f.srv, adele, "User.Read"), "/v1.0/me/contacts"))
	readOnly := contactsToken(t, f.srv, adele, "Contacts.Read")
	requireStatus(t, get(t, f.srv, readOnly, "/v1.0/me/contacts"), http.StatusOK)
	denied(graphDo(t, f.srv, readOnly, "POST", "/v1.0/me/contacts", map[string]any{"givenName": "X"}))
	// Full scope URIs count as well.
	requireStatus(t, get(t, f.srv, contactsToken(t, f.srv, adele, "https://graph.microsoft.com/Contacts.Read"), "/v1.0/me/contacts"), http.StatusOK)

	shared := contactsToken(t, f.srv, adele, "Contacts.ReadWrite", "Contacts.ReadWrite.Shared")
	denied(get(t, f.srv, shared, "/v1.0/users/"+alex+"/contacts"))
	if err := f.srv.ShareContacts(alex, adele, false); err != nil {
		t.Fatal(err)
	}
	r := get(t, f.srv, shared, "/v1.0/users/"+alex+"/contacts")
	requireStatus(t, r, http.StatusOK)
	if n := len(r.body["value"].([]any)); n != 1 {
		t.Errorf("%d shared contacts", n)
	}
	denied(graphDo(t, f.srv, shared, "POST", "/v1.0/users/"+alex+"/contacts", map[string]any{"givenName": "X"}))
	if err := f.srv.ShareContacts(f.alex.ID, f.adele.ID, true); err != nil {
		t.Fatal(err)
	}
	requireStatus(t, graphDo(t, f.srv, shared, "POST", "/v1.0/users/"+alex+"/contacts", map[string]any{"givenName": "X"}), http.StatusCreated)
	denied(get(t, f.srv, readOnly, "/v1.0/users/"+alex+"/contacts")) // shared, but no .Shared scope

	app, err := f.srv.AppToken(daemonID)
	if err != nil {
		t.Fatal(err)
	}
	r = get(t, f.srv, app, "/v1.0/users/"+f.alex.ID+"/contacts")
	requireStatus(t, r, http.StatusOK)
	if n := len(r.body["value"].([]any)); n != 2 {
		t.Errorf("app sees %d of Alex's contacts, want 2", n)
	}
	checkGraphError(t, get(t, f.srv, app, "/v1.0/me/contacts"), http.StatusBadRequest, "BadRequest",
		"/me request is only valid with delegated authentication flow.")
	checkGraphError(t, get(t, f.srv, app, "/v1.0/users/nobody@contoso.com/contacts"), http.StatusNotFound, "ErrorInvalidUser",
		"The requested user 'nobody@contoso.com' is invalid.")

	if err := f.srv.ShareContacts("nobody", adele, true); err == nil {
		t.Error("sharing from an unknown user")
	}
}

func TestContactBodiesAreChecked(t *testing.T) {
	f := newFixture(t)
	tok := contactsToken(t, f.srv, f.adele.UserPrincipalName)
	bad := func(body any, message string) {
		t.Helper()
		checkGraphError(t, graphDo(t, f.srv, tok, "POST", "/v1.0/me/contacts", body), http.StatusBadRequest, "RequestBodyRead", message)
	}
	bad(map[string]any{"nickname": "x"}, "The property 'nickname' does not exist on type 'microsoft.graph.contact'. "+
		"Make sure to only use property names that are defined by the type or mark the type as open type.")
	bad(map[string]any{"givenName": 7}, "Cannot convert the value of property 'givenName' to the expected type 'Edm.String'.")
	bad(map[string]any{"businessPhones": "+1 555"}, "Cannot convert the value of property 'businessPhones' to the expected type 'Collection(Edm.String)'.")
	bad(map[string]any{"birthday": "datetime-value"}, "Cannot convert the literal 'datetime-value' to the expected type 'Edm.DateTimeOffset'.")
	bad(map[string]any{"homeAddress": map[string]any{"zip": "1"}}, "The property 'zip' does not exist on type 'microsoft.graph.physicalAddress'. "+
		"Make sure to only use property names that are defined by the type or mark the type as open type.")
	bad(map[string]any{"emailAddresses": []any{"a@b.c"}}, "Cannot convert the value of property 'emailAddresses' to the expected type 'microsoft.graph.emailAddress'.")
	for _, body := range []string{"", "{", "[]", `{"givenName":"a"} {}`} {
		checkGraphError(t, graphDo(t, f.srv, tok, "POST", "/v1.0/me/contacts", body, "Content-Type", "application/json"),
			http.StatusBadRequest, "BadRequest",
			"Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	}
	// Read-only properties and annotations are ignored.
	r := graphDo(t, f.srv, tok, "POST", "/v1.0/me/contacts", map[string]any{"id": "mine", "@odata.type": "#microsoft.graph.contact", "givenName": "A"})
	requireStatus(t, r, http.StatusCreated)
	if r.body["id"] == "mine" {
		t.Error("the id is Graph's to choose")
	}
	if _, err := f.srv.AddContact(f.adele.UserPrincipalName, "", map[string]any{"bogus": 1}); err == nil {
		t.Error("AddContact checks the body")
	}
	if _, err := f.srv.AddContact(f.adele.UserPrincipalName, "no-such-folder", nil); err == nil {
		t.Error("AddContact checks the folder")
	}
}

func TestContactsPagingAndQueries(t *testing.T) {
	f := newFixture(t)
	upn := f.adele.UserPrincipalName
	tok := contactsToken(t, f.srv, upn, "Contacts.Read")
	for i := range 25 {
		_, err := f.srv.AddContact(upn, "", map[string]any{
			"givenName":      string(rune('A'+i)) + "name",
			"emailAddresses": []any{map[string]any{"name": "x", "address": string(rune('a'+i)) + "@example.com"}},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var sizes []int
	for next := "/v1.0/me/contacts"; next != ""; {
		r := get(t, f.srv, tok, next)
		requireStatus(t, r, http.StatusOK)
		sizes = append(sizes, len(r.body["value"].([]any)))
		next, _ = r.body["@odata.nextLink"].(string)
		next = strings.TrimPrefix(next, f.srv.GraphURL())
	}
	if !slices.Equal(sizes, []int{10, 10, 5}) {
		t.Errorf("page sizes %v, want Outlook's default of 10", sizes)
	}
	filter := url.QueryEscape("emailAddresses/any(a:a/address eq 'C@EXAMPLE.COM')")
	r := get(t, f.srv, tok, "/v1.0/me/contacts?$filter="+filter)
	requireStatus(t, r, http.StatusOK)
	if v := r.body["value"].([]any); len(v) != 1 || v[0].(map[string]any)["givenName"] != "Cname" {
		t.Errorf("filtered: %v", v)
	}
	r = get(t, f.srv, tok, "/v1.0/me/contacts?$top=1001")
	if r.StatusCode != http.StatusBadRequest {
		t.Errorf("$top=1001: %d", r.StatusCode)
	}
	r = get(t, f.srv, tok, "/v1.0/me/contacts?$top=3&$skip=23")
	if v := r.body["value"].([]any); len(v) != 2 {
		t.Errorf("$skip: %d items", len(v))
	}
}

func contactPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestContactPhotos(t *testing.T) {
	f := newFixture(t)
	tok := contactsToken(t, f.srv, f.adele.UserPrincipalName)
	id, err := f.srv.AddContact(f.adele.UserPrincipalName, "", map[string]any{"givenName": "Garth"})
	if err != nil {
		t.Fatal(err)
	}
	base := "/v1.0/me/contacts/" + url.PathEscape(id) + "/photo"
	checkGraphError(t, get(t, f.srv, tok, base), http.StatusNotFound, "ImageNotFound", "The photo wasn't found.")

	img := contactPNG(t, 48, 64)
	r := graphDo(t, f.srv, tok, "PUT", base+"/$value", img, "Content-Type", "image/png")
	requireStatus(t, r, http.StatusOK)
	r = get(t, f.srv, tok, base)
	requireStatus(t, r, http.StatusOK)
	if r.body["@odata.mediaContentType"] != "image/png" || r.body["id"] != "48X64" || r.body["width"] != 48.0 || r.body["height"] != 64.0 {
		t.Errorf("photo metadata %v", r.body)
	}
	if r.body["@odata.mediaEtag"] == nil {
		t.Error("no @odata.mediaEtag")
	}
	raw := graphDo(t, f.srv, tok, "GET", base+"/$value", nil)
	requireStatus(t, raw, http.StatusOK)
	if raw.Header.Get("Content-Type") != "image/png" {
		t.Errorf("Content-Type %q", raw.Header.Get("Content-Type"))
	}

	checkGraphError(t, graphDo(t, f.srv, tok, "PUT", base+"/$value", "hello", "Content-Type", "text/plain"),
		http.StatusBadRequest, "ErrorInvalidRequest", "The photo must have an image content type, such as image/jpeg.")
	checkGraphError(t, graphDo(t, f.srv, tok, "PUT", base+"/$value", []byte{}, "Content-Type", "image/jpeg"),
		http.StatusBadRequest, "ErrorInvalidRequest", "The photo is empty.")
	checkGraphError(t, graphDo(t, f.srv, tok, "PUT", base+"/$value", make([]byte, 4<<20+1), "Content-Type", "image/jpeg"),
		http.StatusRequestEntityTooLarge, "ErrorRequestEntityTooLarge", "The photo is larger than 4 MB.")
	checkGraphError(t, graphDo(t, f.srv, tok, "PUT", "/v1.0/me/contacts/nope/photo/$value", img, "Content-Type", "image/png"),
		http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
}

// msgraph-sdk-go sends a photo with its default application/octet-stream
// and the caller's image type both, in either order, or with the default
// alone: the image type wins, and a stream is taken for what its bytes are.
func TestPhotoContentTypeAsTheSDKSendsIt(t *testing.T) {
	f := newFixture(t)
	tok := contactsToken(t, f.srv, f.adele.UserPrincipalName)
	id, err := f.srv.AddContact(f.adele.UserPrincipalName, "", map[string]any{"givenName": "Garth"})
	if err != nil {
		t.Fatal(err)
	}
	base := "/v1.0/me/contacts/" + url.PathEscape(id) + "/photo"
	img := contactPNG(t, 48, 64)
	put := func(body []byte, types ...string) int {
		req, err := http.NewRequestWithContext(t.Context(), "PUT", f.srv.GraphURL()+base+"/$value", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		for _, v := range types {
			req.Header.Add("Content-Type", v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	stored := func() any { return get(t, f.srv, tok, base).body["@odata.mediaContentType"] }
	for _, types := range [][]string{
		{"application/octet-stream", "image/gif"},
		{"image/gif", "application/octet-stream"},
	} {
		if got := put(img, types...); got != http.StatusOK {
			t.Fatalf("PUT with %v: %d", types, got)
		}
		if got := stored(); got != "image/gif" {
			t.Errorf("PUT with %v stored %v, want the image type", types, got)
		}
	}
	if got := put(img, "application/octet-stream"); got != http.StatusOK {
		t.Fatalf("PUT of a PNG stream: %d", got)
	}
	if got := stored(); got != "image/png" {
		t.Errorf("a PNG stream stored as %v, want what its bytes are", got)
	}
	if got := put([]byte("hello"), "application/octet-stream"); got != http.StatusBadRequest {
		t.Errorf("a stream that is no image: %d, want 400", got)
	}
}

func TestManagerReportsAndUserPhotos(t *testing.T) {
	f := newFixture(t)
	adele, alex := f.adele.UserPrincipalName, f.alex.UserPrincipalName
	tok := userToken(t, f.srv, alex)
	checkGraphError(t, get(t, f.srv, tok, "/v1.0/me/manager"), http.StatusNotFound, "Request_ResourceNotFound",
		"Resource 'manager' does not exist or one of its queried reference-property objects are not present.")
	if err := f.srv.SetManager(alex, adele); err != nil {
		t.Fatal(err)
	}
	r := get(t, f.srv, tok, "/v1.0/me/manager")
	requireStatus(t, r, http.StatusOK)
	want := exampleBody(t, "users.json", "user-get#1")
	want["@odata.type"] = "#microsoft.graph.user"
	if got := withoutContext(r.body); !sameJSON(got, want) {
		t.Errorf("manager\n%v\nwant Microsoft's user with its type\n%v", got, want)
	}
	if ctx := r.body["@odata.context"]; ctx != f.srv.GraphURL()+"/v1.0/$metadata#directoryObjects/$entity" {
		t.Errorf("@odata.context = %v", ctx)
	}
	r = get(t, f.srv, tok, "/v1.0/users/"+f.adele.ID+"/directReports")
	requireStatus(t, r, http.StatusOK)
	if v := r.body["value"].([]any); len(v) != 1 || v[0].(map[string]any)["userPrincipalName"] != alex {
		t.Errorf("direct reports %v", v)
	}
	if err := f.srv.SetManager(alex, ""); err != nil {
		t.Fatal(err)
	}
	requireStatus(t, get(t, f.srv, tok, "/v1.0/users/"+alex+"/manager"), http.StatusNotFound)
	if err := f.srv.SetManager(alex, alex); err == nil {
		t.Error("a user cannot manage themselves")
	}
	if err := f.srv.SetManager(alex, "nobody"); err == nil {
		t.Error("an unknown manager")
	}

	checkGraphError(t, get(t, f.srv, tok, "/v1.0/users/"+adele+"/photo"), http.StatusNotFound, "ImageNotFound",
		"Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.")
	if err := f.srv.SetUserPhoto(adele, "image/png", contactPNG(t, 240, 240)); err != nil {
		t.Fatal(err)
	}
	r = get(t, f.srv, tok, "/v1.0/users/"+adele+"/photo")
	requireStatus(t, r, http.StatusOK)
	if r.body["id"] != "240X240" || r.body["@odata.mediaContentType"] != "image/png" {
		t.Errorf("photo metadata %v", r.body)
	}
	raw := graphDo(t, f.srv, tok, "GET", "/v1.0/users/"+adele+"/photo/$value", nil)
	requireStatus(t, raw, http.StatusOK)
	if err := f.srv.SetUserPhoto(adele, "", nil); err != nil {
		t.Fatal(err)
	}
	requireStatus(t, get(t, f.srv, tok, "/v1.0/users/"+adele+"/photo"), http.StatusNotFound)

	checkGraphError(t, get(t, f.srv, tok, "/v1.0/users/nobody/manager"), http.StatusNotFound, "Request_ResourceNotFound",
		"Resource 'nobody' does not exist or one of its queried reference-property objects are not present.")
	app, err := f.srv.AppToken(daemonID)
	if err != nil {
		t.Fatal(err)
	}
	checkGraphError(t, get(t, f.srv, app, "/v1.0/me/photo"), http.StatusBadRequest, "BadRequest",
		"/me request is only valid with delegated authentication flow.")
}
