// Package graphtest is an in-memory emulator of the Microsoft identity
// platform (Entra ID) and Microsoft Graph, for tests. It serves plain HTTP
// (or HTTPS, WithTLS) on a loopback address through net/http/httptest,
// and needs no network.
//
// A test registers apps and users, signs a user in, and points its client
// at LoginURL and GraphURL:
//
//	srv := graphtest.NewServer()
//	defer srv.Close()
//	srv.AddApp(graphtest.App{ClientID: "my-app", ClientSecret: "s3cret", RedirectURIs: []string{"http://localhost/cb"}})
//	srv.AddUser(graphtest.User{UserPrincipalName: "adele@contoso.com", DisplayName: "Adele Vance"})
//	srv.SignIn("adele@contoso.com")
//	// authority: srv.LoginURL() + "/common/oauth2/v2.0/{authorize,token,devicecode}"
//	// Graph:     srv.GraphURL() + "/v1.0/me"
//
// # Identity platform
//
// Under /{tenant}/oauth2/v2.0/ (any tenant string) the server answers
// authorize (authorization code with PKCE, consenting at once as the
// login_hint user or the signed-in user; with WithSignInPage, or for
// prompt=login, select_account or consent, an HTML sign-in page for a
// browser that posts the chosen account back), token (grant types
// authorization_code, refresh_token, client_credentials with a secret or a
// certificate-signed client assertion, password, and device_code) and
// devicecode; /{tenant}/v2.0/.well-known/openid-configuration and
// /{tenant}/discovery/v2.0/keys serve OpenID Connect discovery and the key
// set that verifies id tokens. Errors are Entra ID's OAuth error bodies
// with AADSTS codes.
//
// Refresh tokens rotate: each use answers a new one and retires the old.
// Access tokens are opaque strings the server maps to a user or app, its
// scopes and an expiry. Device codes are approved by the signed-in user
// when the client polls (so a client gets a token on its first poll)
// unless WithManualDeviceApproval is given; ApproveDevice approves one
// explicitly. One RSA key per process signs id tokens, because generating
// a key per server would slow suites that start many.
//
// # Graph
//
// Graph requests need a bearer token the server issued. Every answer
// carries request-id and client-request-id headers, and errors use Graph's
// body {"error":{"code","message","innerError":{"date","request-id",
// "client-request-id"}}}. Resources: /v1.0/me, /v1.0/users and
// /v1.0/users/{id or userPrincipalName}, with the property names of
// Microsoft's examples. Collections apply OData queries ($filter, $search,
// $orderby, $select) and page with $top, $skiptoken and @odata.nextLink;
// like Graph's directory, /users refuses $skip and wants the header
// ConsistencyLevel: eventual for $search and $count on every page.
//
// Beyond users, the server emulates, under both /v1.0/me/… and
// /v1.0/users/{id}/…:
//
//   - mail: well-known and child folders (delta with their counts), messages with send delivering to
//     emulated recipients, reply/forward, move/copy, delta, MIME, file,
//     inline and item attachments and attachment upload sessions, and
//     shared mailboxes reachable only when granted (GrantMailboxAccess);
//   - contacts and contact folders with delta, and the directory's managers, direct
//     reports, photos and group memberships (memberOf,
//     transitiveMemberOf); users answer every structural property of
//     User on $select and Graph's default set without it, and a delegated
//     caller with User.ReadBasic.All alone sees other users' default set
//     only;
//   - Microsoft To Do lists, tasks, checklist items, linked resources,
//     file attachments (with upload sessions) and tasks/delta; Outlook master categories; mailbox settings and
//     automatic replies (todo_store.go);
//   - calendars and events with recurrence expansion in calendarView,
//     calendarView/delta (removed occurrences included), invitations
//     copied to attendees, responses, forward, getSchedule and
//     findMeetingTimes;
//   - drives and items with real content, upload sessions, downloads through
//     a separate pre-authenticated storage host that refuses bearer tokens,
//     asynchronous copy with a monitor, sharing, versions and thumbnails;
//     SharePoint sites, lists, columns and list items;
//   - Microsoft Teams on Unified groups (AddTeam): joined teams, channels
//     and their members, channel messages with replies, mentions, edits,
//     soft deletes and delta, chats (AddChat), installed apps, and
//     presence sessions (fading when idle) and preferred presence
//     expiring on the server clock;
//   - Excel workbooks in drive items: sessions that expire, worksheets,
//     ranges, tables whose filters hide rows from visibleView, names,
//     functions and charts with rendered images (internal/workbook);
//   - Planner: plans of Microsoft 365 groups (AddGroup, AddPlan) open to
//     the group's members, buckets, tasks and task details, with etags
//     checked on If-Match and order hints placed as Planner places them;
//   - JSON batching (POST /v1.0/$batch) and change notifications
//     (/v1.0/subscriptions, with the validation handshake and delivery of
//     notifications when mail, contacts or events change).
//
// Under /v1.0/groups it emulates groups (AddGroup), listed like /users,
// created, updated and deleted; their members and owners, changed through
// $ref; their memberships; and a Microsoft 365 group's conversations,
// calendar and document library (AddConversation, AddGroupEvent,
// DriveOf).
//
// Helpers seed scenarios (AddMessage, AddContact, AddEvent, …) and
// measure clients (Requests, BatchRequests, PeakInFlight, Deliveries).
//
// Requests logs Graph requests; Throttle, FailNext, DropNext, InjectFaults
// and SetDelay inject faults into Graph (never into the identity platform);
// ExpireAccessTokens, RevokeAccessTokens and RevokeRefreshTokens end
// sessions. UserToken and AppToken issue tokens without running a flow.
//
// # Clients tested against it
//
// Any client that works against real Graph should work against the
// server; the compatibility suite in graphtest/compat (a module of its
// own) runs Microsoft's Go SDK, msgraph-sdk-go, with its default
// middleware, and MSAL Go (confidential and public clients) against it on
// every CI run, and its examples show how to point each at a server. To
// that end the server accepts what those clients send: request bodies
// with Content-Encoding gzip or deflate; OData function-call syntax
// (delta(), microsoft.graph.delta(), qualified actions such as
// microsoft.graph.sendMail); action parameters in either case (Message or
// message); every addressing form of drive items (items/root,
// root:/path:, items/{id}:/relative/path: with trailing segments, and the
// same with the id escaped as one path parameter, as the SDK sends it);
// property names in $select, $orderby and $filter without regard to case;
// $batch request bodies as a JSON object or as a base64 string; a
// collection's $count segment (/users/$count, answered as text/plain);
// child mail folders addressed under their parent
// (mailFolders/{id}/childFolders/{id}) and messages under their folder.
// Binary properties (Edm.Binary, such as conversationIndex) are standard
// base64.
//
// MSAL insists on https authorities. WithTLS serves HTTPS; Server.Client
// then trusts the server and sends login.microsoftonline.com and
// graph.microsoft.com to it, so MSAL's authority
// https://login.microsoftonline.com/{tenant} and the SDK's base URL
// https://graph.microsoft.com/v1.0 need no change, and links the server
// answers (@odata.nextLink, @odata.deltaLink) name the host the client
// used. The identity platform serves instance discovery
// (/common/discovery/instance, valid for the server's own host and the
// cloud hosts), OpenID discovery, user realm discovery
// (/common/UserRealm/{user}), client_info when asked, PS256 client
// assertions and the short device_code grant type.
//
// A Server is safe for concurrent use.
package graphtest
