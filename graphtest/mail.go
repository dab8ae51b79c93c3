package graphtest

// mailStore holds the emulated mail data. (Being written.)
type mailStore struct{}

func newMailStore() *mailStore { return &mailStore{} }

func (s *Server) mailRoutes() []route { return nil }
