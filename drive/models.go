package drive

import "time"

// The plain data types below mirror Microsoft Graph's resources of the same
// names; their JSON names are Graph's property names. Facets (File,
// Folder, Root, …) are pointers: a nil facet means the property was absent,
// which is how Graph tells a file from a folder.

// Identity is a user, device or application (Graph's identity).
type Identity struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	// Email is sent by OneDrive and SharePoint for users, though the
	// identity resource does not declare it.
	Email string `json:"email,omitempty"`
}

// IdentitySet names who did something (Graph's identitySet).
type IdentitySet struct {
	User        *Identity `json:"user,omitempty"`
	Application *Identity `json:"application,omitempty"`
	Device      *Identity `json:"device,omitempty"`
	Group       *Identity `json:"group,omitempty"`
}

// SharePointIdentity is an identity with its SharePoint login name.
type SharePointIdentity struct {
	ID          string `json:"id,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	Email       string `json:"email,omitempty"`
	LoginName   string `json:"loginName,omitempty"`
}

// SharePointIdentitySet is an identity set with SharePoint's site users
// and groups (Graph's sharePointIdentitySet).
type SharePointIdentitySet struct {
	User        *Identity           `json:"user,omitempty"`
	Application *Identity           `json:"application,omitempty"`
	Device      *Identity           `json:"device,omitempty"`
	Group       *Identity           `json:"group,omitempty"`
	SiteUser    *SharePointIdentity `json:"siteUser,omitempty"`
	SiteGroup   *SharePointIdentity `json:"siteGroup,omitempty"`
}

// ItemReference points at an item or a drive (Graph's itemReference).
type ItemReference struct {
	DriveID       string         `json:"driveId,omitempty"`
	DriveType     string         `json:"driveType,omitempty"`
	ID            string         `json:"id,omitempty"`
	Name          string         `json:"name,omitempty"`
	Path          string         `json:"path,omitempty"`
	ShareID       string         `json:"shareId,omitempty"`
	SiteID        string         `json:"siteId,omitempty"`
	SharepointIDs *SharepointIDs `json:"sharepointIds,omitempty"`
}

// SharepointIDs are the SharePoint identifiers of an item, list or site.
type SharepointIDs struct {
	ListID           string `json:"listId,omitempty"`
	ListItemID       string `json:"listItemId,omitempty"`
	ListItemUniqueID string `json:"listItemUniqueId,omitempty"`
	SiteID           string `json:"siteId,omitempty"`
	SiteURL          string `json:"siteUrl,omitempty"`
	TenantID         string `json:"tenantId,omitempty"`
	WebID            string `json:"webId,omitempty"`
}

// Quota is a drive's storage use, in bytes.
type Quota struct {
	Deleted   int64  `json:"deleted,omitempty"`
	Remaining int64  `json:"remaining,omitempty"`
	State     string `json:"state,omitempty"` // normal, nearing, critical, exceeded
	Total     int64  `json:"total,omitempty"`
	Used      int64  `json:"used,omitempty"`
}

// File is the facet of an item that is a file.
type File struct {
	MimeType string  `json:"mimeType,omitempty"`
	Hashes   *Hashes `json:"hashes,omitempty"`
}

// Hashes are a file's content hashes as the service computed them.
// OneDrive for Business and SharePoint give QuickXorHash only (compare
// with NewQuickXorHash); SHA-1 and SHA-256 come from OneDrive personal.
type Hashes struct {
	QuickXorHash string `json:"quickXorHash,omitempty"`
	SHA1Hash     string `json:"sha1Hash,omitempty"`
	SHA256Hash   string `json:"sha256Hash,omitempty"`
	CRC32Hash    string `json:"crc32Hash,omitempty"`
}

// Folder is the facet of an item that is a folder.
type Folder struct {
	ChildCount int64       `json:"childCount"`
	View       *FolderView `json:"view,omitempty"`
}

// FolderView is how a folder is shown in the OneDrive apps.
type FolderView struct {
	SortBy    string `json:"sortBy,omitempty"`
	SortOrder string `json:"sortOrder,omitempty"`
	ViewType  string `json:"viewType,omitempty"`
}

// Root is the facet of a drive's root folder; it has no properties.
type Root struct{}

// Deleted is the facet of an item reported deleted by a delta round.
type Deleted struct {
	State string `json:"state,omitempty"`
}

// SpecialFolder is the facet of a special folder such as Documents.
type SpecialFolder struct {
	Name string `json:"name,omitempty"`
}

// Image is the facet of an image file.
type Image struct {
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
}

// Photo is the camera metadata of a photo.
type Photo struct {
	CameraMake          string    `json:"cameraMake,omitempty"`
	CameraModel         string    `json:"cameraModel,omitempty"`
	ExposureDenominator float64   `json:"exposureDenominator,omitempty"`
	ExposureNumerator   float64   `json:"exposureNumerator,omitempty"`
	FNumber             float64   `json:"fNumber,omitempty"`
	FocalLength         float64   `json:"focalLength,omitempty"`
	ISO                 int       `json:"iso,omitempty"`
	Orientation         int       `json:"orientation,omitempty"`
	TakenDateTime       time.Time `json:"takenDateTime,omitzero"`
}

// FileSystemInfo holds the times the client's file system recorded,
// which may differ from the service's.
type FileSystemInfo struct {
	CreatedDateTime      time.Time `json:"createdDateTime,omitzero"`
	LastAccessedDateTime time.Time `json:"lastAccessedDateTime,omitzero"`
	LastModifiedDateTime time.Time `json:"lastModifiedDateTime,omitzero"`
}

// Shared says an item is shared with others.
type Shared struct {
	Owner          *IdentitySet `json:"owner,omitempty"`
	Scope          string       `json:"scope,omitempty"` // anonymous, organization, users
	SharedBy       *IdentitySet `json:"sharedBy,omitempty"`
	SharedDateTime time.Time    `json:"sharedDateTime,omitzero"`
}

// Package is the facet of an item the service treats as one unit (a
// OneNote notebook, for example).
type Package struct {
	Type string `json:"type,omitempty"`
}

// Malware says the service found malware in a file.
type Malware struct {
	Description string `json:"description,omitempty"`
}

// SearchResult is the search metadata of an item found by Search.
type SearchResult struct {
	OnClickTelemetryURL string `json:"onClickTelemetryUrl,omitempty"`
}

// RemoteItem is the facet of an item that lives in another drive, such as
// one shared with the user. Operations on the DriveItem that holds it
// act on the remote item.
type RemoteItem struct {
	ID                   string          `json:"id,omitempty"`
	Name                 string          `json:"name,omitempty"`
	Size                 int64           `json:"size,omitempty"`
	WebURL               string          `json:"webUrl,omitempty"`
	WebDavURL            string          `json:"webDavUrl,omitempty"`
	CreatedBy            *IdentitySet    `json:"createdBy,omitempty"`
	CreatedDateTime      time.Time       `json:"createdDateTime,omitzero"`
	LastModifiedBy       *IdentitySet    `json:"lastModifiedBy,omitempty"`
	LastModifiedDateTime time.Time       `json:"lastModifiedDateTime,omitzero"`
	ParentReference      *ItemReference  `json:"parentReference,omitempty"`
	File                 *File           `json:"file,omitempty"`
	Folder               *Folder         `json:"folder,omitempty"`
	FileSystemInfo       *FileSystemInfo `json:"fileSystemInfo,omitempty"`
	Image                *Image          `json:"image,omitempty"`
	Package              *Package        `json:"package,omitempty"`
	Shared               *Shared         `json:"shared,omitempty"`
	SpecialFolder        *SpecialFolder  `json:"specialFolder,omitempty"`
	SharepointIDs        *SharepointIDs  `json:"sharepointIds,omitempty"`
}
