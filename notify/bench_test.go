package notify_test

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-o365/o365/notify"
)

// batchBody is a collection of n notifications, as Graph batches them.
func batchBody(n int) []byte {
	items := make([]string, n)
	for i := range items {
		items[i] = notification(secret, "created")
	}
	return []byte(collection(items...))
}

// BenchmarkHandler serves a batch of 100 notifications through Handler
// (decode, constant-time secret checks, callbacks, answer).
func BenchmarkHandler(b *testing.B) {
	body := batchBody(100)
	h := &notify.Handler{
		ClientStates:   []string{"old-secret", secret},
		OnNotification: func(context.Context, notify.Notification) error { return nil },
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusAccepted {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkPlainHandler is the plain-Go reference: encoding/json into the
// same struct and the same secret checks, in an http.HandlerFunc.
func BenchmarkPlainHandler(b *testing.B) {
	body := batchBody(100)
	secrets := [][]byte{[]byte("old-secret"), []byte(secret)}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var doc struct {
			Value []notify.Notification `json:"value"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, notify.DefaultMaxBodyBytes)).Decode(&doc); err != nil {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		for _, n := range doc.Value {
			ok := 0
			for _, s := range secrets {
				ok |= subtle.ConstantTimeCompare([]byte(n.ClientState), s)
			}
			_ = ok
		}
		w.WriteHeader(http.StatusAccepted)
	})
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/hook", bytes.NewReader(body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusAccepted {
			b.Fatal(w.Code)
		}
	}
}
