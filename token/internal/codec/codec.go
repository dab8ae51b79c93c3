// Package codec turns tokens into the documents the shared stores
// (token/redisstore, token/sqlstore) keep, token.Token's JSON, and back.
// Its errors name the store and the user but never quote a stored value,
// which holds secrets.
package codec

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/go-o365/o365/token"
)

// Encode checks the arguments of a Put or Swap to store and encodes t.
func Encode(store, username string, t *token.Token) ([]byte, error) {
	switch {
	case username == "":
		return nil, errors.New(store + ": empty username")
	case t == nil:
		return nil, fmt.Errorf("%s: nil token for user %q", store, username)
	}
	data, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("%s: encoding token of %q: %w", store, username, err)
	}
	return data, nil
}

// Decode parses the token of username that store holds.
func Decode(store, username string, data []byte) (*token.Token, error) {
	var t token.Token
	if err := json.Unmarshal(data, &t); err != nil {
		// The decoder's message may quote the stored value.
		return nil, fmt.Errorf("%s: stored token of %q is not a valid token document", store, username)
	}
	return &t, nil
}
