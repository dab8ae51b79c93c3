package sharepoint

// Column definitions and content types. The facet of a column (Text,
// Number, Choice, …) says its type: exactly one is set.

// ListInfo describes a list (Graph's listInfo).
type ListInfo struct {
	ContentTypesEnabled bool   `json:"contentTypesEnabled,omitempty"`
	Hidden              bool   `json:"hidden,omitempty"`
	Template            string `json:"template,omitempty"` // genericList, documentLibrary, …
}

// SiteCollection describes the site collection of a root site.
type SiteCollection struct {
	Hostname         string `json:"hostname,omitempty"`
	DataLocationCode string `json:"dataLocationCode,omitempty"`
}

// ContentTypeInfo names the content type of a list item.
type ContentTypeInfo struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// ContentType is a content type of a list (Graph's contentType).
type ContentType struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	Group       string `json:"group,omitempty"`
	Hidden      bool   `json:"hidden,omitempty"`
	ReadOnly    bool   `json:"readOnly,omitempty"`
	Sealed      bool   `json:"sealed,omitempty"`
}

// ColumnDefinition is a column of a list (Graph's columnDefinition).
type ColumnDefinition struct {
	ID                  string `json:"id,omitempty"`
	Name                string `json:"name"` // the name fields are keyed by
	DisplayName         string `json:"displayName,omitempty"`
	Description         string `json:"description,omitempty"`
	ColumnGroup         string `json:"columnGroup,omitempty"`
	EnforceUniqueValues bool   `json:"enforceUniqueValues,omitempty"`
	Hidden              bool   `json:"hidden,omitempty"`
	// Indexed columns can be filtered and sorted on without the
	// "may fail randomly" header.
	Indexed  bool `json:"indexed,omitempty"`
	ReadOnly bool `json:"readOnly,omitempty"`
	Required bool `json:"required,omitempty"`

	Text               *TextColumn               `json:"text,omitempty"`
	Number             *NumberColumn             `json:"number,omitempty"`
	Boolean            *BooleanColumn            `json:"boolean,omitempty"`
	DateTime           *DateTimeColumn           `json:"dateTime,omitempty"`
	Choice             *ChoiceColumn             `json:"choice,omitempty"`
	Currency           *CurrencyColumn           `json:"currency,omitempty"`
	PersonOrGroup      *PersonOrGroupColumn      `json:"personOrGroup,omitempty"`
	Lookup             *LookupColumn             `json:"lookup,omitempty"`
	HyperlinkOrPicture *HyperlinkOrPictureColumn `json:"hyperlinkOrPicture,omitempty"`
	Calculated         *CalculatedColumn         `json:"calculated,omitempty"`
}

// TextColumn is a text column.
type TextColumn struct {
	AllowMultipleLines          bool   `json:"allowMultipleLines,omitempty"`
	AppendChangesToExistingText bool   `json:"appendChangesToExistingText,omitempty"`
	LinesForEditing             int    `json:"linesForEditing,omitempty"`
	MaxLength                   int    `json:"maxLength,omitempty"`
	TextType                    string `json:"textType,omitempty"` // plain, richText
}

// NumberColumn is a number column.
type NumberColumn struct {
	DecimalPlaces string   `json:"decimalPlaces,omitempty"` // automatic, none, one, two, …
	DisplayAs     string   `json:"displayAs,omitempty"`     // number, percentage
	Maximum       *float64 `json:"maximum,omitempty"`
	Minimum       *float64 `json:"minimum,omitempty"`
}

// BooleanColumn is a yes/no column; it has no settings.
type BooleanColumn struct{}

// DateTimeColumn is a date or date-and-time column.
type DateTimeColumn struct {
	DisplayAs string `json:"displayAs,omitempty"` // default, friendly, standard
	Format    string `json:"format,omitempty"`    // dateOnly, dateTime
}

// ChoiceColumn is a column whose values come from a list of choices.
type ChoiceColumn struct {
	AllowTextEntry bool     `json:"allowTextEntry,omitempty"`
	Choices        []string `json:"choices,omitempty"`
	DisplayAs      string   `json:"displayAs,omitempty"` // checkBoxes, dropDownMenu, radioButtons
}

// CurrencyColumn is a money column.
type CurrencyColumn struct {
	Locale string `json:"locale,omitempty"`
}

// PersonOrGroupColumn is a column holding people or groups.
type PersonOrGroupColumn struct {
	AllowMultipleSelection bool   `json:"allowMultipleSelection,omitempty"`
	ChooseFromType         string `json:"chooseFromType,omitempty"` // peopleAndGroups, peopleOnly
	DisplayAs              string `json:"displayAs,omitempty"`
}

// LookupColumn is a column whose values come from another list.
type LookupColumn struct {
	AllowMultipleValues   bool   `json:"allowMultipleValues,omitempty"`
	AllowUnlimitedLength  bool   `json:"allowUnlimitedLength,omitempty"`
	ColumnName            string `json:"columnName,omitempty"`
	ListID                string `json:"listId,omitempty"`
	PrimaryLookupColumnID string `json:"primaryLookupColumnId,omitempty"`
}

// HyperlinkOrPictureColumn is a link or picture column.
type HyperlinkOrPictureColumn struct {
	IsPicture bool `json:"isPicture,omitempty"`
}

// CalculatedColumn is a column computed from a formula.
type CalculatedColumn struct {
	Format     string `json:"format,omitempty"`
	Formula    string `json:"formula,omitempty"`
	OutputType string `json:"outputType,omitempty"` // boolean, currency, dateTime, number, text
}
