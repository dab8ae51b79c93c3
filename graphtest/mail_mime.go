package graphtest

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"strings"
	"time"
)

// ---- MIME out: $value ----

// mimePart is an attachment as the MIME writer needs it, collected under
// the store lock and written after.
type mimePart struct {
	name, contentType, contentID string
	inline                       bool
	content                      []byte
	blob                         *mailBlob
	item                         map[string]any
}

func (s *Server) mailMessageMIME(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needRead, func(x *mailReq) mailReply {
		m, rep := x.message()
		if rep != nil {
			return rep
		}
		props, headers := m.props, m.headers
		var parts []mimePart
		for _, a := range m.attachments {
			p := mimePart{name: jsonStr(a.props, "name"), contentType: jsonStr(a.props, "contentType"),
				contentID: jsonStr(a.props, "contentId"), inline: a.props["isInline"] == true,
				content: a.content, blob: a.blob, item: a.item}
			if a.blob != nil {
				a.blob.refs++ // held while streaming
			}
			parts = append(parts, p)
		}
		return func(w http.ResponseWriter) {
			defer func() {
				for _, p := range parts {
					if p.blob != nil {
						s.releaseMailBlob(p.blob)
					}
				}
			}()
			w.Header().Set("Content-Type", "text/plain")
			bw := bufio.NewWriterSize(w, 64<<10)
			writeMIME(bw, props, headers, parts)
			bw.Flush()
		}
	})
}

// writeMIME writes a message as RFC 5322 text: its headers, its body
// (quoted-printable), and its attachments (base64, or nested messages).
func writeMIME(w io.Writer, p map[string]any, headers []any, parts []mimePart) error {
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
		if err := writeMIMEPart(mw, part); err != nil {
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

func writeMIMEPart(mw *multipart.Writer, p mimePart) error {
	disposition := "attachment"
	if p.inline {
		disposition = "inline"
	}
	if p.item != nil {
		ct, name := "message/rfc822", p.name+".eml"
		if strings.Contains(strings.ToLower(jsonStr(p.item, "@odata.type")), "event") {
			ct, name = "text/calendar; method=PUBLISH", p.name+".ics"
		}
		w, err := mw.CreatePart(mimePartHeader("Content-Type", ct,
			"Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": name})))
		if err != nil {
			return err
		}
		writeItemBody(w, p.item)
		return nil
	}
	hdr := mimePartHeader(
		"Content-Type", mime.FormatMediaType(p.contentType, map[string]string{"name": p.name}),
		"Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": p.name}),
		"Content-Transfer-Encoding", "base64")
	if p.contentID != "" {
		hdr["Content-ID"] = []string{"<" + p.contentID + ">"}
	}
	w, err := mw.CreatePart(hdr)
	if err != nil {
		return err
	}
	enc := base64.NewEncoder(base64.StdEncoding, &base64Lines{w: w})
	if p.blob != nil {
		f, err := p.blob.open()
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := io.Copy(enc, f); err != nil {
			return err
		}
	} else {
		enc.Write(p.content)
	}
	return enc.Close()
}

// base64Lines breaks base64 into the 76-character lines MIME wants.
type base64Lines struct {
	w   io.Writer
	col int
}

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

// writeItemAttachment answers the $value of an item attachment.
func writeItemAttachment(w http.ResponseWriter, item map[string]any) {
	w.Header().Set("Content-Type", "text/plain")
	writeItemBody(w, item)
}

// writeItemBody writes an attached message as MIME and an attached event
// as iCalendar; other items as their JSON.
func writeItemBody(w io.Writer, item map[string]any) {
	switch t := strings.ToLower(jsonStr(item, "@odata.type")); {
	case strings.HasSuffix(t, "message"):
		writeMIME(w, item, nil, nil)
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

// ---- MIME in: raw sends and drafts ----

// readMIMEBody reads a base64 MIME body, as Graph takes raw messages.
func readMIMEBody(r *http.Request) ([]byte, mailReply) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxMailRequest+1))
	if err != nil {
		return nil, mailError(http.StatusBadRequest, "BadRequest", "The request body could not be read.")
	}
	if len(data) > maxMailRequest {
		return nil, errMailTooLarge
	}
	raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(data)), ""))
	if err != nil || len(raw) == 0 {
		return nil, errInvalidBase64
	}
	return raw, nil
}

// parseMIME reads a raw message into the properties Graph would give it.
func (x *mailReq) parseMIME(raw []byte) (*msgInput, mailReply) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, mailError(http.StatusBadRequest, "ErrorMimeContentInvalid", "The MIME content is not a valid message: "+err.Error()+".")
	}
	in := &msgInput{props: map[string]any{}}
	dec := new(mime.WordDecoder)
	if subj, err := dec.DecodeHeader(msg.Header.Get("Subject")); err == nil {
		in.props["subject"] = subj
	}
	if from, err := mail.ParseAddress(msg.Header.Get("From")); err == nil {
		in.props["from"] = x.resolve(from.Name, from.Address)
		in.props["sender"] = in.props["from"]
	}
	for _, k := range []struct{ header, prop string }{{"To", "toRecipients"}, {"Cc", "ccRecipients"}, {"Bcc", "bccRecipients"}, {"Reply-To", "replyTo"}} {
		rs := []any{}
		if addrs, err := msg.Header.AddressList(k.header); err == nil {
			for _, a := range addrs {
				rs = append(rs, x.resolve(a.Name, a.Address))
			}
		}
		in.props[k.prop] = rs
	}
	if id := msg.Header.Get("Message-ID"); id != "" {
		in.props["internetMessageId"] = strings.TrimSpace(id)
	}
	for k, vs := range msg.Header {
		if strings.HasPrefix(strings.ToLower(k), "x-") && len(vs) > 0 {
			in.headers = append(in.headers, map[string]any{"name": k, "value": vs[0]})
		}
	}
	var body map[string]any
	if err := x.readMIMEPart(msg.Header, msg.Body, &body, in); err != nil {
		return nil, mailError(http.StatusBadRequest, "ErrorMimeContentInvalid", "The MIME content is not a valid message: "+err.Error()+".")
	}
	if body == nil {
		body = map[string]any{"contentType": "text", "content": ""}
	}
	in.props["body"] = body
	return in, nil
}

// readMIMEPart walks a part: the first text part (HTML preferred within
// an alternative) becomes the body, parts with a file name attachments.
func (x *mailReq) readMIMEPart(h map[string][]string, r io.Reader, body *map[string]any, in *msgInput) error {
	get := func(k string) string {
		if vs := h[k]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	ct, params, err := mime.ParseMediaType(get("Content-Type"))
	if err != nil {
		ct, params = "text/plain", nil
	}
	if strings.HasPrefix(ct, "multipart/") {
		mr := multipart.NewReader(r, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := x.readMIMEPart(p.Header, p, body, in); err != nil {
				return err
			}
		}
	}
	if strings.EqualFold(get("Content-Transfer-Encoding"), "base64") {
		r = base64.NewDecoder(base64.StdEncoding, r)
	} else if strings.EqualFold(get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	disp, dparams, _ := mime.ParseMediaType(get("Content-Disposition"))
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	isText := ct == "text/plain" || ct == "text/html"
	if isText && name == "" && disp != "attachment" {
		if *body == nil || (ct == "text/html" && (*body)["contentType"] == "text") {
			kind := "text"
			if ct == "text/html" {
				kind = "html"
			}
			*body = map[string]any{"contentType": kind, "content": string(data)}
		}
		return nil
	}
	if name == "" {
		name = "attachment"
	}
	a := &mattach{id: newMailAttachmentID(), content: data}
	cid := strings.Trim(get("Content-Id"), "<>")
	a.props = map[string]any{
		"@odata.type":          fileAttachmentType,
		"id":                   a.id,
		"lastModifiedDateTime": mailTime(x.now),
		"name":                 name,
		"contentType":          ct,
		"size":                 len(data),
		"isInline":             disp == "inline" && cid != "",
		"contentId":            nullable(cid),
		"contentLocation":      nil,
	}
	in.attachments = append(in.attachments, a)
	return nil
}
