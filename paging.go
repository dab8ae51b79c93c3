package o365

import (
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/query"
)

// ListOption shapes a list call (Limit, BatchSize, Query, Header).
type ListOption = api.ListOption

// Limit caps the number of items a list yields.
func Limit(n int) ListOption { return api.Limit(n) }

// BatchSize sets how many items each page asks for ($top).
func BatchSize(n int) ListOption { return api.BatchSize(n) }

// Query applies an OData query built with package query.
func Query(q *query.Query) ListOption { return api.Query(q) }

// Header sends a header with every page of a list.
func Header(key, value string) ListOption { return api.Header(key, value) }
