package o365

import "github.com/go-o365/o365/api"

// JSON batching lives in package api, so that components can queue their
// requests in a batch; these aliases let users name its types from here.
// Requests are queued with api.Add (typed) or Batch.Add.

// Batch queues Graph requests and sends them through POST /$batch; see
// api.Batch.
type Batch = api.Batch

// BatchRequest is one request to queue in a Batch; see api.BatchRequest.
type BatchRequest = api.BatchRequest

// BatchItem is a queued request and, after Send, its answer; see
// api.BatchItem.
type BatchItem = api.BatchItem

// Batch starts an empty JSON batch that sends as the account's current
// user (or the user of a view made by As) to its Graph service root, with
// the connection's retry count, back-off and default headers:
//
//	b := account.Batch()
//	me, err := api.Add[o365.User](b, o365.BatchRequest{URL: "/me"})
//	…
//	err = b.Send(ctx)
//	u, err := me.Result()
func (a *Account) Batch() *Batch { return api.NewBatch(a) }

// BatchSettings gives the batches built on this connection its retry
// count (WithRetries), back-off (WithRetryBackoff) and default headers
// (WithDefaultHeaders), so that a request throttled inside a batch is
// retried like one sent alone, and carries the same headers: Graph does
// not apply the headers of a POST /$batch to the requests inside it.
func (c *Connection) BatchSettings() api.BatchSettings {
	return api.BatchSettings{
		Retries: c.cfg.retries,
		Backoff: c.backoff,
		Header:  c.cfg.defaultHeaders.Clone(),
	}
}
