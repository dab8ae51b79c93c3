package graphtest

// The storage host: a second server that plays the pre-authenticated
// hosts Graph hands out URLs to (download URLs, upload sessions, copy
// monitors, sharing links). Its URLs carry their own credential, a
// signed short-lived token or a random one, and it answers 401 to any
// request that carries an Authorization header, so a client that leaks
// its bearer token there fails.

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-o365/o365/graphtest/internal/thumbnail"
)

// Kinds of signed download tokens.
const (
	tokenContent   = "c" // a file's content
	tokenVersion   = "v" // an earlier version; extra is its id
	tokenPDF       = "p" // the content converted to PDF
	tokenThumbnail = "t" // a thumbnail; extra is the size
)

// downloadLifetime is how long a download URL works.
const downloadLifetime = time.Hour

// sign makes a download token: what to serve and until when, with an
// HMAC so the URL needs no state on the server.
func (st *driveStore) sign(kind, itemID, extra string, now time.Time) string {
	payload := kind + "|" + itemID + "|" + extra + "|" + strconv.FormatInt(now.Add(downloadLifetime).Unix(), 10)
	mac := hmac.New(sha256.New, st.key)
	mac.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:18])
}

func (st *driveStore) verify(tok string, now time.Time) (kind, itemID, extra string, ok bool) {
	enc, sig, found := strings.Cut(tok, ".")
	payload, err1 := base64.RawURLEncoding.DecodeString(enc)
	got, err2 := base64.RawURLEncoding.DecodeString(sig)
	if !found || err1 != nil || err2 != nil {
		return "", "", "", false
	}
	mac := hmac.New(sha256.New, st.key)
	mac.Write(payload)
	if !hmac.Equal(got, mac.Sum(nil)[:18]) {
		return "", "", "", false
	}
	parts := strings.Split(string(payload), "|")
	if len(parts) != 4 {
		return "", "", "", false
	}
	exp, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil || now.Unix() > exp {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// storageURL is the download URL of a token.
// storageURL is the download URL of a token. As SharePoint's are, the
// credential is the query string (tempauth), which clients keep out of
// their logs.
func (s *Server) storageURL(tok string) string {
	return s.storage.URL + "/download.aspx?tempauth=" + url.QueryEscape(tok)
}

// StorageURL returns the base URL of the pre-authenticated storage host
// that downloads redirect to and upload sessions and copy monitors live
// on.
func (s *Server) StorageURL() string { return s.storage.URL }

// StorageRequests returns a copy of the log of requests to the storage
// host, in the order their answers began.
func (s *Server) StorageRequests() []Request {
	st := s.drives
	st.mu.Lock()
	defer st.mu.Unlock()
	out := slices.Clone(st.log)
	for i := range out {
		out[i].Header = out[i].Header.Clone()
	}
	return out
}

// InjectStorageFaults makes the next n requests to the storage host
// (downloads, upload-session chunks, monitors) fail with f, after any
// faults injected before. A Drop fault cuts the connection, as a network
// failure in the middle of an upload would.
func (s *Server) InjectStorageFaults(n int, f Fault) {
	st := s.drives
	st.mu.Lock()
	defer st.mu.Unlock()
	for range n {
		st.faults = append(st.faults, f)
	}
}

func (s *Server) storageHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /download.aspx", s.serveDownload)
	mux.HandleFunc("/uploadSession", s.serveUploadSession)
	mux.HandleFunc("GET /monitor/{token}", s.serveMonitor)
	mux.HandleFunc("GET /s/{token}", s.serveSharingLink)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { errNotFound().write(w) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("request-id", newGUID())
		w.Header().Set("client-request-id", newGUID())
		st := s.drives
		entry := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone()}
		rec := &recorder{ResponseWriter: w, log: func(status int) {
			entry.Status = status
			st.mu.Lock()
			st.log = append(st.log, entry)
			st.mu.Unlock()
		}}
		defer rec.logOnce(0)
		if r.Header.Get("Authorization") != "" {
			writeGraphError(rec, http.StatusUnauthorized, "unauthenticated",
				"This URL is pre-authenticated: a request carrying an Authorization header is refused.")
			return
		}
		st.mu.Lock()
		var fault *Fault
		if len(st.faults) > 0 {
			fault = &st.faults[0]
			st.faults = st.faults[1:]
		}
		st.mu.Unlock()
		if fault != nil {
			s.answerFault(rec, *fault)
			return
		}
		mux.ServeHTTP(rec, r)
	})
}

// answerFault answers with an injected storage fault.
func (s *Server) answerFault(w *recorder, f Fault) {
	if f.Drop {
		w.logOnce(0)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		conn.Close()
		return
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	def, ok := statusErrors[f.Status]
	if !ok {
		def = [2]string{"generalException", http.StatusText(f.Status)}
	}
	if f.Status == http.StatusRequestedRangeNotSatisfiable {
		def = [2]string{"invalidRange", "The uploaded fragment overlaps with data that has already been received."}
	}
	code, msg := f.Code, f.Message
	if code == "" {
		code = def[0]
	}
	if msg == "" {
		msg = def[1]
	}
	writeGraphError(w, f.Status, code, msg)
}

// redirectContent answers GET …/content with a 302 to the storage host,
// converting with ?format=pdf.
func (s *Server) redirectContent(w http.ResponseWriter, r *http.Request, it *gItem) {
	s.drives.mu.Lock()
	folder, name := it.data == nil, it.name
	s.drives.mu.Unlock()
	if folder {
		errInvalid("The item is a folder and has no content.").write(w)
		return
	}
	kind := tokenContent
	switch f := r.URL.Query().Get("format"); f {
	case "":
	case "pdf":
		if !convertible(name) {
			writeGraphError(w, http.StatusNotAcceptable, "notSupported",
				"Conversion of '"+name+"' to format 'pdf' is not supported.")
			return
		}
		kind = tokenPDF
	default:
		writeGraphError(w, http.StatusBadRequest, "invalidRequest", "Format '"+f+"' is not supported.")
		return
	}
	s.redirect(w, s.drives.sign(kind, it.id, "", s.now()))
}

func (s *Server) redirect(w http.ResponseWriter, tok string) {
	w.Header().Set("Location", s.storageURL(tok))
	w.WriteHeader(http.StatusFound)
}

func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request) {
	st := s.drives
	kind, id, extra, ok := st.verify(r.URL.Query().Get("tempauth"), s.now())
	if !ok {
		writeGraphError(w, http.StatusUnauthorized, "unauthenticated", "The download URL is invalid or has expired.")
		return
	}
	st.mu.Lock()
	it := st.items[id]
	if it == nil || !st.liveLocked(it) || it.data == nil {
		st.mu.Unlock()
		errNotFound().write(w)
		return
	}
	name, mime, modified, data := it.name, it.mime, it.modified, it.data
	var ver *gVersion
	if kind == tokenVersion {
		ver = versionLocked(it, extra)
		if ver == nil {
			st.mu.Unlock()
			errNotFound().write(w)
			return
		}
	}
	st.mu.Unlock()
	var body []byte
	switch kind {
	case tokenVersion:
		data, modified = ver.data, ver.modified
	case tokenPDF:
		body, mime = fakePDF(name, data.Size()), "application/pdf"
		name = strings.TrimSuffix(name, pathExt(name)) + ".pdf"
	case tokenThumbnail:
		var err error
		if body, err = thumbnail.Render(data, mime, extra); err != nil {
			errNotFound().write(w)
			return
		}
		mime = "image/jpeg"
	}
	w.Header().Set("Content-Type", mime)
	if body != nil {
		http.ServeContent(w, r, name, modified, bytes.NewReader(body))
		return
	}
	http.ServeContent(w, r, name, modified, data.Reader())
}

func pathExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// convertible lists the extensions Graph converts to PDF.
func convertible(name string) bool {
	switch strings.ToLower(strings.TrimPrefix(pathExt(name), ".")) {
	case "doc", "docx", "dot", "dotx", "dotm", "dsn", "dwg", "eml", "epub", "htm", "html", "markdown", "md", "msg",
		"odp", "ods", "odt", "pps", "ppsx", "ppt", "pptm", "pptx", "rtf", "tif", "tiff", "xls", "xlsm", "xlsx":
		return true
	}
	return false
}

// fakePDF is a small valid one-page PDF naming the converted file.
func fakePDF(name string, size int64) []byte {
	text := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace("Converted by graphtest from " + name + " (" + strconv.FormatInt(size, 10) + " bytes)")
	stream := "BT /F1 12 Tf 72 720 Td (" + text + ") Tj ET"
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"<< /Length " + strconv.Itoa(len(stream)) + " >>\nstream\n" + stream + "\nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		b.WriteString(strconv.Itoa(i+1) + " 0 obj\n" + o + "\nendobj\n")
	}
	xref := b.Len()
	b.WriteString("xref\n0 " + strconv.Itoa(len(objects)+1) + "\n0000000000 65535 f \n")
	for _, off := range offsets {
		b.WriteString(leftPad(strconv.Itoa(off), 10) + " 00000 n \n")
	}
	b.WriteString("trailer\n<< /Size " + strconv.Itoa(len(objects)+1) + " /Root 1 0 R >>\nstartxref\n" + strconv.Itoa(xref) + "\n%%EOF\n")
	return b.Bytes()
}

func leftPad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}
