// Package query builds OData query options. (placeholder, being written)
package query

// Query is an OData query under construction.
type Query struct{}

// New starts an empty query.
func New() *Query { return &Query{} }

// Params renders the query as request parameters.
func (q *Query) Params() (map[string]string, error) { return map[string]string{}, nil }
