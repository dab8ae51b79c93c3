package graphtest

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"strings"

	"github.com/go-o365/o365/graphtest/internal/mimemsg"
)

// ---- MIME out: $value ----

func (s *Server) mailMessageMIME(w http.ResponseWriter, r *http.Request) {
	s.inMailbox(w, r, needRead, func(x *mailReq) mailReply {
		m, rep := x.message()
		if rep != nil {
			return rep
		}
		props, headers := m.props, m.headers
		var parts []mimemsg.Part
		var blobs []*mailBlob
		for _, a := range m.attachments {
			p := mimemsg.Part{Name: jsonStr(a.props, "name"), ContentType: jsonStr(a.props, "contentType"),
				ContentID: jsonStr(a.props, "contentId"), Inline: a.props["isInline"] == true,
				Content: a.content, Item: a.item}
			if blob := a.blob; blob != nil {
				blob.refs++ // held while streaming
				blobs = append(blobs, blob)
				p.Open = func() (io.ReadCloser, error) { return blob.open() }
			}
			parts = append(parts, p)
		}
		return func(w http.ResponseWriter) {
			defer func() {
				for _, b := range blobs {
					s.releaseMailBlob(b)
				}
			}()
			w.Header().Set("Content-Type", "text/plain")
			bw := bufio.NewWriterSize(w, 64<<10)
			mimemsg.Write(bw, props, headers, parts)
			bw.Flush()
		}
	})
}

// writeItemAttachment answers the $value of an item attachment.
func writeItemAttachment(w http.ResponseWriter, item map[string]any) {
	w.Header().Set("Content-Type", "text/plain")
	mimemsg.WriteItem(w, item)
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
