package mailbox_test

import (
	"iter"

	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/token"
)

// The emulated tenant is o365test's mail tenant.
const (
	adele = o365test.Adele
	alex  = o365test.Alex
	sales = o365test.Sales
)

var passwords = o365test.MailPasswords

// firstErr drains a list and returns its error.
func firstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

func newMemory() token.Backend { return token.NewMemoryBackend() }
