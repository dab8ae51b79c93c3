package graphtest

import "net/http"

// driveStore holds the emulated drive data. (Being written.)
type driveStore struct{}

func newDriveStore() *driveStore { return &driveStore{} }

func (s *Server) driveRoutes() []route { return nil }

// storageHandler serves the pre-authenticated storage host. (Being written.)
func (s *Server) storageHandler() http.Handler { return http.NotFoundHandler() }
