package o365

import "strings"

// Cloud names the two hosts the library talks to: the identity platform
// (Login) and Microsoft Graph (Graph). Any base URL works, including plain
// http ones for tests and emulators.
type Cloud struct {
	Login string // e.g. "https://login.microsoftonline.com"
	Graph string // e.g. "https://graph.microsoft.com"
}

// National clouds, from Microsoft's "National cloud deployments" page.
var (
	CloudGlobal = Cloud{Login: "https://login.microsoftonline.com", Graph: "https://graph.microsoft.com"}
	CloudUSGov  = Cloud{Login: "https://login.microsoftonline.us", Graph: "https://graph.microsoft.us"}
	CloudChina  = Cloud{Login: "https://login.chinacloudapi.cn", Graph: "https://microsoftgraph.chinacloudapi.cn"}
)

func (c Cloud) withDefaults() Cloud {
	if c.Login == "" {
		c.Login = CloudGlobal.Login
	}
	if c.Graph == "" {
		c.Graph = CloudGlobal.Graph
	}
	c.Login = strings.TrimRight(c.Login, "/")
	c.Graph = strings.TrimRight(c.Graph, "/")
	return c
}
