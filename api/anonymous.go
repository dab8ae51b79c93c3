package api

import "context"

type anonymousKey struct{}

// Anonymous marks requests made with the returned context as carrying no
// bearer token, even to the Graph host. Upload-session URLs and
// pre-authenticated download URLs are credentials themselves, and Graph
// rejects (or, worse, leaks) a token sent along with them.
func Anonymous(ctx context.Context) context.Context {
	return context.WithValue(ctx, anonymousKey{}, true)
}

// IsAnonymous reports whether ctx was made by Anonymous.
func IsAnonymous(ctx context.Context) bool {
	v, _ := ctx.Value(anonymousKey{}).(bool)
	return v
}
