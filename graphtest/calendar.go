package graphtest

// calendarStore holds the emulated calendar data. (Being written.)
type calendarStore struct{}

func newCalendarStore() *calendarStore { return &calendarStore{} }

func (s *Server) calendarRoutes() []route { return nil }
