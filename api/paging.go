package api

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strconv"

	"github.com/go-o365/o365/query"
)

// ListOption shapes a list call: Limit, BatchSize, Query and Header.
type ListOption func(*ListConfig)

// ListConfig is what list options set. Components read it through
// NewListConfig when they need to (most just pass options on to NewPager).
type ListConfig struct {
	Limit     int          // at most this many items in all; 0 means no limit
	BatchSize int          // $top of each page; 0 lets the server choose
	Query     *query.Query // $filter, $select, $orderby, …
	Params    Params       // extra query parameters of the first page
	Header    http.Header  // headers sent with every page
}

// NewListConfig applies opts to a fresh configuration.
func NewListConfig(opts ...ListOption) ListConfig {
	cfg := ListConfig{Params: Params{}, Header: http.Header{}}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return cfg
}

// Limit caps the number of items an iterator yields.
func Limit(n int) ListOption { return func(c *ListConfig) { c.Limit = n } }

// BatchSize sets how many items each page asks for ($top).
func BatchSize(n int) ListOption { return func(c *ListConfig) { c.BatchSize = n } }

// Query applies an OData query ($filter, $select, $orderby, $search, …).
func Query(q *query.Query) ListOption { return func(c *ListConfig) { c.Query = q } }

// Header sends a header with every page, e.g. Header("ConsistencyLevel", "eventual").
func Header(key, value string) ListOption {
	return func(c *ListConfig) { c.Header.Set(key, value) }
}

// Param adds a query parameter to the first page (later pages follow
// @odata.nextLink, which already carries it).
func Param(key, value string) ListOption {
	return func(c *ListConfig) { c.Params[key] = value }
}

// Page is one page of a Graph collection.
type Page[T any] struct {
	Value     []T    `json:"value"`
	NextLink  string `json:"@odata.nextLink,omitempty"`
	DeltaLink string `json:"@odata.deltaLink,omitempty"`
	Count     *int64 `json:"@odata.count,omitempty"`
}

// Pager walks a Graph collection page by page, following @odata.nextLink
// lazily. After iteration it exposes the final @odata.deltaLink of a delta
// round and the @odata.count when $count was asked for.
type Pager[T any] struct {
	con       Requester
	url       string
	cfg       ListConfig
	deltaLink string
	count     *int64
}

// NewPager prepares iteration over the collection at url.
func NewPager[T any](con Requester, url string, opts ...ListOption) *Pager[T] {
	return &Pager[T]{con: con, url: url, cfg: NewListConfig(opts...)}
}

// List iterates over the collection at url: for item, err := range List[T](…).
func List[T any](ctx context.Context, con Requester, url string, opts ...ListOption) iter.Seq2[T, error] {
	return NewPager[T](con, url, opts...).All(ctx)
}

// DeltaLink is the @odata.deltaLink that ended a delta round; empty until
// the last page has been read.
func (p *Pager[T]) DeltaLink() string { return p.deltaLink }

// Count is the @odata.count of the first page, or -1 when the server sent none.
func (p *Pager[T]) Count() int64 {
	if p.count == nil {
		return -1
	}
	return *p.count
}

// All yields every item, requesting the next page only when the previous
// one is used up. An error is yielded once, with the zero T, and ends the
// iteration. Every page is requested with the same headers as the first.
func (p *Pager[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		next, err := p.firstURL()
		if err != nil {
			yield(zero, err)
			return
		}
		yielded, empty := 0, 0
		fetched := map[string]bool{}
		for next != "" {
			// A server that links back to a page already read, or sends
			// empty pages without end, would be followed for ever.
			if fetched[next] {
				yield(zero, fmt.Errorf("%w: the next link %s repeats a page already read", ErrPagingLoop, RedactURL(next)))
				return
			}
			fetched[next] = true
			page, err := p.fetch(ctx, next)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(page.Value) == 0 && page.NextLink != "" {
				if empty++; empty > MaxEmptyPages {
					yield(zero, fmt.Errorf("%w: %d empty pages in a row, each with a next link", ErrPagingLoop, empty))
					return
				}
			} else {
				empty = 0
			}
			if p.count == nil {
				p.count = page.Count
			}
			for _, item := range page.Value {
				if !yield(item, nil) {
					return
				}
				yielded++
				if p.cfg.Limit > 0 && yielded >= p.cfg.Limit {
					return
				}
			}
			if page.DeltaLink != "" {
				p.deltaLink = page.DeltaLink
			}
			next = page.NextLink
		}
	}
}

func (p *Pager[T]) firstURL() (string, error) {
	params := Params{}
	if q := p.cfg.Query; q != nil {
		qp, err := q.Params()
		if err != nil {
			return "", err
		}
		for k, v := range qp {
			params[k] = v
		}
	}
	for k, v := range p.cfg.Params {
		params[k] = v
	}
	top := p.cfg.BatchSize
	if top == 0 && p.cfg.Limit > 0 && p.cfg.Limit <= maxTop {
		top = p.cfg.Limit
	}
	if top > 0 {
		params["$top"] = strconv.Itoa(top)
	}
	return AddParams(p.url, params)
}

// ErrPagingLoop ends an iteration whose server would keep it going for
// ever: a next link that repeats a page already read in this iteration,
// or more than MaxEmptyPages empty pages in a row.
var ErrPagingLoop = errors.New("o365: paging does not advance")

// MaxEmptyPages is how many empty pages with a next link in a row an
// iteration follows. Graph sends some (a delta round over a large
// mailbox can), never this many.
const MaxEmptyPages = 100

// maxTop is the largest page most Graph collections accept.
const maxTop = 999

func (p *Pager[T]) fetch(ctx context.Context, url string) (*Page[T], error) {
	req, err := NewRequest(ctx, http.MethodGet, url, nil, nil)
	if err != nil {
		return nil, err
	}
	for k, vs := range p.cfg.Header {
		req.Header[k] = vs
	}
	resp, err := p.con.Do(req)
	if err != nil {
		return nil, err
	}
	page := new(Page[T])
	if err := DecodeResponse(resp, page); err != nil {
		return nil, fmt.Errorf("o365: reading page: %w", err)
	}
	return page, nil
}
