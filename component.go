package o365

import "github.com/go-o365/o365/api"

// The component base lives in package api so that component packages can
// use it without importing this package (which imports them). These
// aliases let users write o365.ApiComponent as in python-o365.

// ApiComponent is the base every component embeds; see api.Component.
//
//lint:ignore ST1003 the name mirrors python-o365's ApiComponent on purpose.
type ApiComponent = api.Component

// Parent is what a component is built from: an *Account, ParentOf(con,
// protocol), or another component.
type Parent = api.Parent

// Requester sends Graph requests; *Connection implements it.
type Requester = api.Requester

// Protocol builds URLs and expands scopes; *MSGraphProtocol implements it.
type Protocol = api.Protocol

// Params are query-string parameters.
type Params = api.Params

// NewApiComponent builds a component base inheriting parent's connection,
// protocol and main resource; endpoints maps keys to paths relative to the
// main resource.
//
//lint:ignore ST1003 the name mirrors python-o365's ApiComponent on purpose.
func NewApiComponent(parent Parent, endpoints map[string]string) ApiComponent {
	return api.New(parent, endpoints)
}

// ParentOf pairs a connection with a protocol so components can be used
// without an Account.
func ParentOf(con Requester, protocol Protocol) Parent {
	return api.ParentOf(con, protocol)
}
