package graphtest

import (
	"bytes"
	"testing"
	"time"

	"github.com/go-o365/o365/graphtest/internal/mimemsg"
)

// FuzzMailMIME feeds raw messages, as a client sends them base64 in a
// sendMail or a draft, to the emulator's MIME reader: it must never
// panic, and what it reads must write out as MIME again.
func FuzzMailMIME(f *testing.F) {
	f.Add([]byte("From: Alex <alex@contoso.com>\r\nTo: a@b.c\r\nSubject: =?utf-8?q?R=C3=A9sum=C3=A9?=\r\n\r\nhello\r\n"))
	f.Add([]byte("Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n--b\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n"))
	f.Add([]byte("Content-Type: multipart/alternative; boundary=\"x\"\r\n\r\n--x\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9=\r\n--x--"))
	f.Add([]byte("no headers at all"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		x := &mailReq{dir: map[string]mailUser{}, now: time.Unix(0, 0)}
		in, rep := x.parseMIME(raw)
		if rep != nil {
			return
		}
		var buf bytes.Buffer
		if err := mimemsg.Write(&buf, in.props, in.headers, nil); err != nil {
			t.Fatalf("writing back: %v", err)
		}
	})
}

func FuzzMailContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-1/2", "bytes 5-4/9", "bytes 0-0/0", "bytes 1-2/x", "", "bytes 99999999999999999999-1/2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, end, total, problem := parseMailContentRange(s)
		if problem == "" && (start < 0 || end < start || end >= total) {
			t.Fatalf("%q accepted as %d-%d/%d", s, start, end, total)
		}
	})
}
