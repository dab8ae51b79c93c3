package o365_test

import (
	"bytes"
	"fmt"
	"log/slog"
)

// sprintAll prints v every way a careless caller might.
func sprintAll(v any) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%v %+v %#v %s\n", v, v, v, v)
	slog.New(slog.NewTextHandler(&b, nil)).Info("creds", "c", v)
	return b.String()
}
