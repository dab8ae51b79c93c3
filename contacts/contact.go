package contacts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"time"

	"github.com/go-o365/o365/api"
)

// EmailAddress is a name and an address (Graph's emailAddress).
type EmailAddress struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
}

// Recipient is how Graph addresses a message to someone: an emailAddress
// wrapped in an object. It has the shape of the message package's
// recipients, so a contact's Recipients can address a new message.
type Recipient struct {
	EmailAddress EmailAddress `json:"emailAddress"`
}

// PhysicalAddress is a postal address (Graph's physicalAddress).
type PhysicalAddress struct {
	Street          string `json:"street,omitempty"`
	City            string `json:"city,omitempty"`
	State           string `json:"state,omitempty"`
	CountryOrRegion string `json:"countryOrRegion,omitempty"`
	PostalCode      string `json:"postalCode,omitempty"`
}

// IsZero reports whether every part of the address is empty.
func (a PhysicalAddress) IsZero() bool { return a == PhysicalAddress{} }

// Contact is an Outlook contact. Its fields are Graph's contact
// properties, with Graph's JSON names; set them and call Save.
//
// Get contacts from an AddressBook or a Folder (Contacts, Contact,
// ContactByEmail), or start one with NewContact. A Contact remembers its
// state as last loaded or saved, so Save sends only the fields that
// changed since.
type Contact struct {
	api.Component `json:"-"`

	// Read-only properties, set by Graph.
	ID                   string    `json:"id,omitempty"`
	ChangeKey            string    `json:"changeKey,omitempty"`
	CreatedDateTime      time.Time `json:"createdDateTime,omitzero"`
	LastModifiedDateTime time.Time `json:"lastModifiedDateTime,omitzero"`
	// ParentFolderID is the id of the folder holding the contact; Move
	// changes it.
	ParentFolderID string `json:"parentFolderId,omitempty"`

	// Names. Graph fills DisplayName from the given name and surname when
	// a new contact has none.
	DisplayName   string `json:"displayName,omitempty"`
	Title         string `json:"title,omitempty"` // "Mr.", "Dr.", …
	GivenName     string `json:"givenName,omitempty"`
	MiddleName    string `json:"middleName,omitempty"`
	Surname       string `json:"surname,omitempty"`
	Generation    string `json:"generation,omitempty"` // "Jr.", "III", …
	Initials      string `json:"initials,omitempty"`
	NickName      string `json:"nickName,omitempty"`
	FileAs        string `json:"fileAs,omitempty"`
	YomiGivenName string `json:"yomiGivenName,omitempty"`
	YomiSurname   string `json:"yomiSurname,omitempty"`

	// Ways to reach the contact.
	EmailAddresses   []EmailAddress  `json:"emailAddresses,omitempty"`
	BusinessPhones   []string        `json:"businessPhones,omitempty"`
	HomePhones       []string        `json:"homePhones,omitempty"`
	MobilePhone      string          `json:"mobilePhone,omitempty"`
	IMAddresses      []string        `json:"imAddresses,omitempty"`
	BusinessHomePage string          `json:"businessHomePage,omitempty"`
	BusinessAddress  PhysicalAddress `json:"businessAddress,omitzero"`
	HomeAddress      PhysicalAddress `json:"homeAddress,omitzero"`
	OtherAddress     PhysicalAddress `json:"otherAddress,omitzero"`

	// Work.
	CompanyName     string `json:"companyName,omitempty"`
	YomiCompanyName string `json:"yomiCompanyName,omitempty"`
	JobTitle        string `json:"jobTitle,omitempty"`
	Department      string `json:"department,omitempty"`
	OfficeLocation  string `json:"officeLocation,omitempty"`
	Profession      string `json:"profession,omitempty"`
	Manager         string `json:"manager,omitempty"`
	AssistantName   string `json:"assistantName,omitempty"`

	// Personal.
	Birthday      Date     `json:"birthday,omitzero"`
	SpouseName    string   `json:"spouseName,omitempty"`
	Children      []string `json:"children,omitempty"`
	PersonalNotes string   `json:"personalNotes,omitempty"`
	Categories    []string `json:"categories,omitempty"`

	saved    *Contact // the state last loaded or saved; nil until then
	folderID string   // where Save creates a new contact; "" = the default folder
}

// ErrNotSaved is returned by operations that need a contact (or folder)
// that exists in Graph, when it has no id yet.
var ErrNotSaved = errors.New("contacts: not saved yet (no id)")

// readOnly are the contact properties Graph sets; Save never sends them.
var readOnly = map[string]bool{
	"id": true, "changeKey": true, "createdDateTime": true,
	"lastModifiedDateTime": true, "parentFolderId": true,
}

// bind attaches a contact decoded from Graph to its parent's connection
// and remembers its state, so later changes can be told apart.
func (c *Contact) bind(parent api.Component) *Contact {
	c.Component = parent
	c.remember()
	return c
}

// remember keeps a deep copy of the contact's properties as its saved state.
func (c *Contact) remember() {
	s := *c
	s.saved = nil
	s.EmailAddresses = slices.Clone(c.EmailAddresses)
	s.BusinessPhones = slices.Clone(c.BusinessPhones)
	s.HomePhones = slices.Clone(c.HomePhones)
	s.IMAddresses = slices.Clone(c.IMAddresses)
	s.Children = slices.Clone(c.Children)
	s.Categories = slices.Clone(c.Categories)
	c.saved = &s
}

// FullName is the given name and surname, or the display name when both
// are empty.
func (c *Contact) FullName() string {
	switch {
	case c.GivenName != "" && c.Surname != "":
		return c.GivenName + " " + c.Surname
	case c.GivenName != "" || c.Surname != "":
		return c.GivenName + c.Surname
	}
	return c.DisplayName
}

// Recipients returns the contact's email addresses as message recipients,
// skipping entries with no address. A recipient with no name takes the
// contact's display name. It is how a message is addressed to a contact:
// append these to a new message's To list (see the package doc).
func (c *Contact) Recipients() []Recipient {
	var out []Recipient
	for _, e := range c.EmailAddresses {
		if e.Address == "" {
			continue
		}
		if e.Name == "" {
			e.Name = c.DisplayName
		}
		out = append(out, Recipient{EmailAddress: e})
	}
	return out
}

// Changes returns the properties Save would send, by JSON name: for a new
// contact every property set, for a saved one those changed since it was
// loaded or saved. A property cleared since is null (an empty list for
// list properties), which is how Graph clears it.
func (c *Contact) Changes() (map[string]any, error) {
	cur, err := propertiesOf(c)
	if err != nil {
		return nil, err
	}
	old := map[string]any{}
	if c.saved != nil {
		if old, err = propertiesOf(c.saved); err != nil {
			return nil, err
		}
	}
	diff := map[string]any{}
	for k, v := range cur {
		if !readOnly[k] && !reflect.DeepEqual(old[k], v) {
			diff[k] = v
		}
	}
	for k, v := range old {
		if _, ok := cur[k]; !ok && !readOnly[k] {
			if _, list := v.([]any); list {
				diff[k] = []any{}
			} else {
				diff[k] = nil
			}
		}
	}
	return diff, nil
}

// propertiesOf is c as Graph would see it: its JSON object as a map.
func propertiesOf(c *Contact) (map[string]any, error) {
	data, err := api.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("contacts: encoding contact: %w", err)
	}
	m := map[string]any{}
	if err := api.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("contacts: encoding contact: %w", err)
	}
	return m, nil
}

// Save creates the contact when it has no id yet (in the folder it was
// started in) and otherwise sends the properties changed since it was
// loaded or saved. With nothing changed it sends nothing. The contact is
// then updated with Graph's answer (id, change key, computed display name).
func (c *Contact) Save(ctx context.Context) error {
	if err := c.bound(); err != nil {
		return err
	}
	body, err := c.Changes()
	if err != nil {
		return err
	}
	fresh := new(Contact)
	if c.ID == "" {
		path := "/contacts"
		if c.folderID != "" {
			path = folderPath(c.folderID) + "/contacts"
		}
		err = c.PostJSON(ctx, c.BuildURL(path), body, fresh)
	} else {
		if len(body) == 0 {
			return nil
		}
		err = c.PatchJSON(ctx, c.url(), body, fresh)
	}
	if err != nil {
		return err
	}
	c.replace(fresh)
	return nil
}

// replace takes the properties of fresh, keeping c's connection and folder.
func (c *Contact) replace(fresh *Contact) {
	fresh.Component, fresh.folderID = c.Component, c.folderID
	*c = *fresh
	c.remember()
}

// Delete deletes the contact.
func (c *Contact) Delete(ctx context.Context) error {
	if err := c.exists(); err != nil {
		return err
	}
	return c.Component.Delete(ctx, c.url())
}

// Move moves the contact to the folder with id folderID.
//
// Graph has no move action for contacts, and a contact's parentFolderId
// cannot be changed, so Move copies the contact (all of it, as Graph
// holds it, with c's unsaved changes and its photo) into the folder and
// then deletes the original: the contact gets a new id, which c takes. If
// a step fails after the copy was made, the copy is deleted again.
func (c *Contact) Move(ctx context.Context, folderID string) error {
	if err := c.exists(); err != nil {
		return err
	}
	if folderID == "" {
		return errors.New("contacts: Move: empty folder id")
	}
	// c may have been listed with $select: copy what Graph holds.
	full := new(Contact)
	if err := c.GetJSON(ctx, c.url(), nil, full); err != nil {
		return err
	}
	body, err := propertiesOf(full)
	if err != nil {
		return err
	}
	changes, err := c.Changes()
	if err != nil {
		return err
	}
	maps.Copy(body, changes)
	for k := range readOnly {
		delete(body, k)
	}
	moved := new(Contact)
	if err := c.PostJSON(ctx, c.BuildURL(folderPath(folderID)+"/contacts"), body, moved); err != nil {
		return err
	}
	err = c.copyPhoto(ctx, moved.ID)
	if err == nil {
		err = c.Component.Delete(ctx, c.url())
	}
	if err != nil {
		undo := c.Component.Delete(ctx, c.BuildURL(contactPath(moved.ID)))
		return errors.Join(err, undo)
	}
	c.folderID = folderID
	c.replace(moved)
	return nil
}

// copyPhoto copies c's photo, if it has one, to the contact with id to.
func (c *Contact) copyPhoto(ctx context.Context, to string) error {
	resp, err := c.photoResponse(ctx)
	if errors.Is(err, api.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxPhoto+1))
	if err != nil {
		return fmt.Errorf("contacts: reading the photo to move: %w", err)
	}
	if len(data) > maxPhoto {
		return fmt.Errorf("contacts: the photo to move is larger than Graph's %d-byte limit for photos", maxPhoto)
	}
	return c.putPhoto(ctx, contactPath(to), data, resp.Header.Get("Content-Type"))
}

// Photo streams the contact's photo; the caller closes it. A contact
// without a photo gives an error matching api.ErrNotFound.
func (c *Contact) Photo(ctx context.Context) (io.ReadCloser, error) {
	if err := c.exists(); err != nil {
		return nil, err
	}
	resp, err := c.photoResponse(ctx)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// maxPhoto is the largest photo Graph takes (4 MB); the server's photo
// is held in memory to be copied, so no more is read.
const maxPhoto = 4 << 20

func (c *Contact) photoResponse(ctx context.Context) (*http.Response, error) {
	return getStream(ctx, &c.Component, c.url()+"/photo/$value")
}

// SetPhoto replaces the contact's photo with the image read from r, of
// the given content type ("image/jpeg" when empty). Graph accepts photos
// up to 4 MB.
func (c *Contact) SetPhoto(ctx context.Context, r io.Reader, contentType string) error {
	if err := c.exists(); err != nil {
		return err
	}
	if r == nil {
		return errors.New("contacts: SetPhoto: nil reader")
	}
	return c.putPhoto(ctx, contactPath(c.ID), r, contentType)
}

func (c *Contact) putPhoto(ctx context.Context, path string, body any, contentType string) error {
	if contentType == "" {
		contentType = "image/jpeg"
	}
	req, err := api.NewRequest(ctx, http.MethodPut, c.BuildURL(path+"/photo/$value"), nil, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	return c.DoJSON(req, nil)
}

func (c *Contact) url() string { return c.BuildURL(contactPath(c.ID)) }

// bound reports a contact that was not made by this package, which has no
// connection to make calls with.
func (c *Contact) bound() error {
	if c.Con() == nil {
		return errors.New("contacts: contact has no connection; start it with AddressBook.NewContact or Folder.NewContact")
	}
	return nil
}

// exists reports a contact that cannot be acted on in Graph: unbound, or
// not created yet.
func (c *Contact) exists() error {
	if err := c.bound(); err != nil {
		return err
	}
	if c.ID == "" {
		return ErrNotSaved
	}
	return nil
}
