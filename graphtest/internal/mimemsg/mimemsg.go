// Package mimemsg writes Outlook items as Graph's $value gives them: a
// message as RFC 5322 text (headers, a quoted-printable body, base64
// attachments in 76-character lines, attached messages nested), an
// attached event as iCalendar. Items are the emulator's JSON-shaped maps,
// so the writer needs nothing of the mail store; reading MIME stays with
// the mail handlers, which resolve addresses against the directory.
package mimemsg

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// Part is an attachment as Write needs it: a file (Content, or Open for
// content kept on disk, closed after copying) or an item attachment
// (Item, a message or an event).
type Part struct {
	Name, ContentType, ContentID string
	Inline                       bool
	Content                      []byte
	Open                         func() (io.ReadCloser, error)
	Item                         map[string]any
}

// Write writes a message as RFC 5322 text: its headers, its body
// (quoted-printable), and its attachments (base64, or nested messages).
func Write(w io.Writer, p map[string]any, headers []any, parts []Part) error {
	h := func(k, v string) { fmt.Fprintf(w, "%s: %s\r\n", k, v) }
	addr := func(r any) string {
		m, _ := r.(map[string]any)
		ea, _ := m["emailAddress"].(map[string]any)
		return (&mail.Address{Name: jsonStr(ea, "name"), Address: jsonStr(ea, "address")}).String()
	}
	addrs := func(rs []any) string {
		out := make([]string, 0, len(rs))
		for _, r := range rs {
			out = append(out, addr(r))
		}
		return strings.Join(out, ", ")
	}
	if p["from"] != nil {
		h("From", addr(p["from"]))
	}
	if p["sender"] != nil && recipientAddress(p["sender"]) != recipientAddress(p["from"]) {
		h("Sender", addr(p["sender"]))
	}
	for _, k := range []struct{ header, prop string }{{"To", "toRecipients"}, {"Cc", "ccRecipients"}, {"Reply-To", "replyTo"}} {
		if rs := jsonList(p[k.prop]); len(rs) > 0 {
			h(k.header, addrs(rs))
		}
	}
	h("Subject", mime.QEncoding.Encode("utf-8", jsonStr(p, "subject")))
	date := jsonStr(p, "sentDateTime")
	if t, err := time.Parse(time.RFC3339, date); err == nil {
		h("Date", t.Format(time.RFC1123Z))
	}
	if id := jsonStr(p, "internetMessageId"); id != "" {
		h("Message-ID", id)
	}
	if imp := jsonStr(p, "importance"); imp == "high" || imp == "low" {
		h("Importance", imp)
	}
	for _, hv := range headers {
		hm, _ := hv.(map[string]any)
		h(jsonStr(hm, "name"), jsonStr(hm, "value"))
	}
	h("MIME-Version", "1.0")
	body, _ := p["body"].(map[string]any)
	bodyType := "text/plain"
	if jsonStr(body, "contentType") == "html" {
		bodyType = "text/html"
	}
	writeBody := func(w io.Writer) {
		qp := quotedprintable.NewWriter(w)
		io.WriteString(qp, jsonStr(body, "content"))
		qp.Close()
	}
	if len(parts) == 0 {
		h("Content-Type", mime.FormatMediaType(bodyType, map[string]string{"charset": "utf-8"}))
		h("Content-Transfer-Encoding", "quoted-printable")
		io.WriteString(w, "\r\n")
		writeBody(w)
		io.WriteString(w, "\r\n")
		return nil
	}
	mw := multipart.NewWriter(w)
	h("Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": mw.Boundary()}))
	io.WriteString(w, "\r\n")
	pw, _ := mw.CreatePart(mimePartHeader("Content-Type", mime.FormatMediaType(bodyType, map[string]string{"charset": "utf-8"}),
		"Content-Transfer-Encoding", "quoted-printable"))
	writeBody(pw)
	for _, part := range parts {
		if err := writePart(mw, part); err != nil {
			return err
		}
	}
	return mw.Close()
}

func mimePartHeader(kv ...string) map[string][]string {
	h := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		h[kv[i]] = []string{kv[i+1]}
	}
	return h
}

func writePart(mw *multipart.Writer, p Part) error {
	disposition := "attachment"
	if p.Inline {
		disposition = "inline"
	}
	if p.Item != nil {
		ct, name := "message/rfc822", p.Name+".eml"
		if strings.Contains(strings.ToLower(jsonStr(p.Item, "@odata.type")), "event") {
			ct, name = "text/calendar; method=PUBLISH", p.Name+".ics"
		}
		w, err := mw.CreatePart(mimePartHeader("Content-Type", ct,
			"Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": name})))
		if err != nil {
			return err
		}
		WriteItem(w, p.Item)
		return nil
	}
	hdr := mimePartHeader(
		"Content-Type", mime.FormatMediaType(p.ContentType, map[string]string{"name": p.Name}),
		"Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": p.Name}),
		"Content-Transfer-Encoding", "base64")
	if p.ContentID != "" {
		hdr["Content-ID"] = []string{"<" + p.ContentID + ">"}
	}
	w, err := mw.CreatePart(hdr)
	if err != nil {
		return err
	}
	enc := base64.NewEncoder(base64.StdEncoding, &base64Lines{w: w})
	if p.Open != nil {
		f, err := p.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := io.Copy(enc, f); err != nil {
			return err
		}
	} else {
		enc.Write(p.Content)
	}
	return enc.Close()
}

// base64Lines breaks base64 into the 76-character lines MIME wants.
type base64Lines struct {
	w   io.Writer
	col int
}

// Write implements io.Writer, breaking lines as it goes.
func (l *base64Lines) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		chunk := min(len(p), 76-l.col)
		if _, err := l.w.Write(p[:chunk]); err != nil {
			return n, err
		}
		n += chunk
		p = p[chunk:]
		l.col += chunk
		if l.col == 76 {
			if _, err := io.WriteString(l.w, "\r\n"); err != nil {
				return n, err
			}
			l.col = 0
		}
	}
	return n, nil
}

// WriteItem writes an attached message as MIME and an attached event
// as iCalendar; other items as their JSON.
func WriteItem(w io.Writer, item map[string]any) {
	switch t := strings.ToLower(jsonStr(item, "@odata.type")); {
	case strings.HasSuffix(t, "message"):
		Write(w, item, nil, nil)
	case strings.HasSuffix(t, "event"):
		dt := func(k string) string {
			v, _ := item[k].(map[string]any)
			s := strings.NewReplacer("-", "", ":", "").Replace(jsonStr(v, "dateTime"))
			s, _, _ = strings.Cut(s, ".")
			return s
		}
		fmt.Fprintf(w, "BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nPRODID:graphtest\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:%s\r\nDTSTART:%s\r\nDTEND:%s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
			jsonStr(item, "subject"), dt("start"), dt("end"))
	default:
		json.NewEncoder(w).Encode(item)
	}
}

func jsonStr(m map[string]any, k string) string {
	v, _ := m[k].(string)
	return v
}

func jsonList(v any) []any {
	l, _ := v.([]any)
	return l
}

// recipientAddress reads a recipient's address.
func recipientAddress(r any) string {
	m, _ := r.(map[string]any)
	ea, _ := m["emailAddress"].(map[string]any)
	return jsonStr(ea, "address")
}
