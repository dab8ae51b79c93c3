package graphtest

import (
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-o365/o365/graphtest/internal/odata"
)

// collection describes how a Graph collection answers list requests.
type collection struct {
	entitySet string // @odata.context after "$metadata#", e.g. "users"
	pageSize  int    // items per page when the request has no $top
	maxTop    int    // the largest $top accepted
	// noSkip refuses $skip, as directory collections (users, groups) do.
	noSkip bool
	// eventual makes $search and $count require the header
	// ConsistencyLevel: eventual, as directory collections do.
	eventual bool
	// errorCode is the Graph error code of a malformed query.
	errorCode string
	// shape, when set, rewrites each item of the page after the query
	// ran and before $select, for properties that are matched on but
	// shown only on request (list item fields without $expand).
	shape func(map[string]any) map[string]any
	// final holds members added to the last page only, such as
	// @odata.deltaLink.
	final map[string]any
	// defaults, when set, are the properties answered when the request
	// has no $select, as directory objects answer their default set;
	// $filter, $search and $orderby still see every property.
	defaults []string
	// exactSelect answers what $select names and nothing more: directory
	// objects do not add their id as Outlook items do.
	exactSelect bool
}

// serveCollection answers a list request over items: it applies the OData
// query ($filter, $search, $orderby, $select), then pages with $top, $skip
// and $skiptoken, adding @odata.nextLink and, for $count=true, @odata.count.
func (s *Server) serveCollection(w http.ResponseWriter, r *http.Request, items []map[string]any, c collection) {
	q := r.URL.Query()
	bad := func(code, msg string) { writeGraphError(w, http.StatusBadRequest, code, msg) }
	count := false
	if v := q.Get("$count"); v != "" {
		b, err := strconv.ParseBool(strings.ToLower(v))
		if err != nil {
			bad(c.errorCode, "Invalid value '"+v+"' for $count: it must be true or false.")
			return
		}
		count = b
	}
	counting := countOnly(r)
	count = count || counting
	if c.eventual && !strings.EqualFold(r.Header.Get("ConsistencyLevel"), "eventual") {
		if q.Has("$search") {
			bad("Request_UnsupportedQuery", "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'")
			return
		}
		if count {
			bad("Request_UnsupportedQuery", "$count is not currently supported.")
			return
		}
	}
	pageSize := c.pageSize
	if s.pageSize > 0 {
		pageSize = s.pageSize
	}
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > c.maxTop {
			bad(c.errorCode, "Invalid page size specified: '"+v+"'. Must be between 1 and "+strconv.Itoa(c.maxTop)+" inclusive.")
			return
		}
		pageSize = n
	}
	start := 0
	if v := q.Get("$skip"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case c.noSkip:
			bad(c.errorCode, "'$skip' is not supported by the service.")
			return
		case err != nil || n < 0:
			bad(c.errorCode, "Invalid value '"+v+"' for $skip.")
			return
		}
		start = n
	}
	if v := q.Get("$skiptoken"); v != "" {
		n, ok := decodeSkipToken(v)
		if !ok {
			bad(c.errorCode, "The provided $skiptoken is not valid.")
			return
		}
		start = n
	}
	matched, fields, err := odata.Apply(items, q)
	if err != nil {
		bad(c.errorCode, err.Error())
		return
	}
	if counting {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(strconv.Itoa(len(matched))))
		return
	}
	shown := fields
	if shown == nil {
		shown = c.defaults
	}
	start = min(start, len(matched))
	end := min(start+pageSize, len(matched))
	page := make([]map[string]any, 0, end-start)
	for _, it := range matched[start:end] {
		if c.shape != nil {
			it = c.shape(it)
		}
		page = append(page, odata.ProjectFields(it, shown, !c.exactSelect))
	}
	body := map[string]any{
		"@odata.context": s.metadataURL(c.entitySet, fields),
		"value":          page,
	}
	if count {
		body["@odata.count"] = len(matched)
	}
	if end < len(matched) {
		body["@odata.nextLink"] = s.nextLink(r, end)
	} else {
		for k, v := range c.final {
			body[k] = v
		}
	}
	writeGraphJSON(w, http.StatusOK, body)
}

// serveEntity answers a request for one item, applying $select.
func (s *Server) serveEntity(w http.ResponseWriter, r *http.Request, item map[string]any, entitySet string) {
	_, fields, err := odata.Apply([]map[string]any{item}, url.Values{"$select": r.URL.Query()["$select"]})
	if err != nil {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", err.Error())
		return
	}
	out := maps.Clone(odata.Project(item, fields))
	out["@odata.context"] = s.metadataURL(entitySet, fields) + "/$entity"
	writeGraphJSON(w, http.StatusOK, out)
}

// metadataURL is the @odata.context of an entity set, naming the selected
// fields as Graph does: …/$metadata#users(displayName,mail).
func (s *Server) metadataURL(entitySet string, fields []string) string {
	u := s.GraphURL() + "/v1.0/$metadata#" + entitySet
	if len(fields) > 0 {
		u += "(" + strings.Join(fields, ",") + ")"
	}
	return u
}

// nextLink repeats the request's query ($filter, $search, $orderby,
// $select, $top, $count) with a $skiptoken for position pos, so the next
// page continues the same result.
func (s *Server) nextLink(r *http.Request, pos int) string {
	q := r.URL.Query()
	q.Del("$skip")
	q.Set("$skiptoken", encodeSkipToken(pos))
	keys := slices.Sorted(maps.Keys(q))
	var b strings.Builder
	for _, k := range keys {
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			// Graph writes the $ of system query options literally.
			b.WriteString(strings.ReplaceAll(url.QueryEscape(k), "%24", "$"))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return s.graphBase(r) + r.URL.EscapedPath() + "?" + b.String()
}

const skipTokenPrefix = "graphtest:"

// encodeSkipToken makes the opaque $skiptoken for a position in a result.
func encodeSkipToken(pos int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(skipTokenPrefix + strconv.Itoa(pos)))
}

func decodeSkipToken(tok string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	s, ok := strings.CutPrefix(string(b), skipTokenPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}
