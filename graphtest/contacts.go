package graphtest

// contactStore holds the emulated contacts data. (Being written.)
type contactStore struct{}

func newContactStore() *contactStore { return &contactStore{} }

func (s *Server) contactRoutes() []route { return nil }
