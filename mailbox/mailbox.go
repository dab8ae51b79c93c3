package mailbox

import (
	"context"
	"iter"
	"net/url"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/message"
)

// Well-known folder names, which Graph accepts wherever a folder id goes.
const (
	Inbox        = "inbox"
	Drafts       = "drafts"
	SentItems    = "sentitems"
	DeletedItems = "deleteditems"
	JunkEmail    = "junkemail"
	Outbox       = "outbox"
	Archive      = "archive"
	Clutter      = "clutter"
	// Root is the top of the folder tree (msgfolderroot): its children
	// are the folders Outlook shows at the top level.
	Root = "msgfolderroot"
)

// wellKnownNames are the display names Outlook gives the well-known
// folders (in English mailboxes), used until a folder is read from Graph.
var wellKnownNames = map[string]string{
	Inbox:        "Inbox",
	Drafts:       "Drafts",
	SentItems:    "Sent Items",
	DeletedItems: "Deleted Items",
	JunkEmail:    "Junk Email",
	Outbox:       "Outbox",
	Archive:      "Archive",
	Clutter:      "Clutter",
	Root:         "Top of Information Store",
}

// MailBox is one user's mailbox: the signed-in user's ("me"), or another
// user's or a shared mailbox when the main resource names one
// (Account.Mailbox("shared@contoso.com")). Reaching another mailbox needs
// the .Shared scopes (message_all_shared) and rights to that mailbox.
type MailBox struct {
	api.Component
}

// New returns the mailbox of the protocol's default resource.
func New(con api.Requester, protocol api.Protocol) *MailBox {
	return NewFrom(api.ParentOf(con, protocol))
}

// NewFrom returns the mailbox of parent's main resource, inheriting its
// connection and protocol.
func NewFrom(parent api.Parent) *MailBox {
	if parent == nil {
		return &MailBox{} // unbound: its operations return ErrNotBound
	}
	return &MailBox{Component: api.New(parent, nil)}
}

// NewForResource returns the mailbox of resource ("me", a user principal
// name or id, "users/{id}"); an empty resource is parent's main resource.
func NewForResource(parent api.Parent, resource string) *MailBox {
	if parent == nil {
		return &MailBox{}
	}
	return &MailBox{Component: api.NewForResource(parent, resource, nil)}
}

// WellKnownFolder returns the folder with a well-known name (Inbox,
// SentItems, "recoverableitemsdeletions", …) without a request: its ID is
// the name, which Graph accepts in place of the id, and its DisplayName
// Outlook's English name. Refresh reads its real id and counts.
func (mb *MailBox) WellKnownFolder(name string) *Folder {
	f := &Folder{Component: mb.Component, ID: name, DisplayName: wellKnownNames[name]}
	f.saved = f.DisplayName
	return f
}

// Inbox returns the Inbox folder (no request is made).
func (mb *MailBox) Inbox() *Folder { return mb.WellKnownFolder(Inbox) }

// JunkFolder returns the Junk Email folder.
func (mb *MailBox) JunkFolder() *Folder { return mb.WellKnownFolder(JunkEmail) }

// DeletedItemsFolder returns the Deleted Items folder.
func (mb *MailBox) DeletedItemsFolder() *Folder { return mb.WellKnownFolder(DeletedItems) }

// DraftsFolder returns the Drafts folder.
func (mb *MailBox) DraftsFolder() *Folder { return mb.WellKnownFolder(Drafts) }

// SentFolder returns the Sent Items folder.
func (mb *MailBox) SentFolder() *Folder { return mb.WellKnownFolder(SentItems) }

// OutboxFolder returns the Outbox folder.
func (mb *MailBox) OutboxFolder() *Folder { return mb.WellKnownFolder(Outbox) }

// ArchiveFolder returns the Archive folder.
func (mb *MailBox) ArchiveFolder() *Folder { return mb.WellKnownFolder(Archive) }

// ClutterFolder returns the Clutter folder.
func (mb *MailBox) ClutterFolder() *Folder { return mb.WellKnownFolder(Clutter) }

// Folders iterates over the top-level folders (the children of Root).
// Hidden folders are listed only with IncludeHidden().
func (mb *MailBox) Folders(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Folder, error] {
	u, err := buildURL(&mb.Component, "/mailFolders")
	if err != nil {
		return failed[*Folder](err)
	}
	return listFolders(ctx, mb.Component, u, opts...)
}

// Folder finds a top-level folder by well-known name, display name or
// id, in that order. When nothing matches, the error wraps
// ErrFolderNotFound (and api.ErrNotFound).
func (mb *MailBox) Folder(ctx context.Context, nameOrID string) (*Folder, error) {
	u, err := buildURL(&mb.Component, "/mailFolders")
	if err != nil {
		return nil, err
	}
	return findFolder(ctx, mb.Component, u, "the top level", nameOrID)
}

// CreateFolder creates a top-level folder.
func (mb *MailBox) CreateFolder(ctx context.Context, name string, hidden bool) (*Folder, error) {
	u, err := buildURL(&mb.Component, "/mailFolders")
	if err != nil {
		return nil, err
	}
	return createFolder(ctx, mb.Component, u, name, hidden)
}

// Messages iterates over the messages of every folder, newest first,
// honouring Limit, BatchSize, Query ($filter, $select, $orderby, $search)
// and WithAttachments.
func (mb *MailBox) Messages(ctx context.Context, opts ...api.ListOption) iter.Seq2[*message.Message, error] {
	u, err := buildURL(&mb.Component, "/messages")
	if err != nil {
		return failed[*message.Message](err)
	}
	return message.List(ctx, mb, u, opts...)
}

// Message reads one message by id; Query ($select, $expand) and Header
// (e.g. Prefer: outlook.body-content-type="text") options apply.
func (mb *MailBox) Message(ctx context.Context, id string, opts ...api.ListOption) (*message.Message, error) {
	u, err := buildURL(&mb.Component, "/messages/"+url.PathEscape(id))
	if err != nil {
		return nil, err
	}
	return message.Get(ctx, mb, u, opts...)
}

// NewMessage returns a new, unsaved message of this mailbox; Save creates
// it in Drafts, Send sends it from this mailbox.
func (mb *MailBox) NewMessage() *message.Message { return message.NewFrom(mb) }

// WithAttachments makes a message list or read return each message's
// attachments, content included ($expand=attachments). It replaces any
// $expand of a Query option; combine them in the query
// (Expand("attachments")) when both are needed.
func WithAttachments() api.ListOption { return api.Param("$expand", "attachments") }

// IncludeHidden makes a folder list include hidden folders.
func IncludeHidden() api.ListOption { return api.Param("includeHiddenFolders", "true") }
