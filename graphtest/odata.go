package graphtest

import "net/url"

// applyQuery filters ($filter), searches ($search) and orders ($orderby)
// items as the query in v asks. It returns the matching items in order,
// before $top/$skip paging, and the $select field list (nil for all).
// A malformed query returns an error whose text is Graph's message.
//
// (Placeholder: the OData engine is being written.)
func applyQuery(items []map[string]any, v url.Values) (matched []map[string]any, selectFields []string, err error) {
	return items, nil, nil
}

// project keeps only fields (plus "id" and "@odata.*" annotations) of item;
// nil fields keeps everything.
func project(item map[string]any, fields []string) map[string]any {
	return item
}
