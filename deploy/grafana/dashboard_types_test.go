package grafana_test

import (
	"bytes"
	"encoding/json"
	"errors"
)

// The structs below cover exactly the fields hawatch.json uses, so that
// decoding with DisallowUnknownFields rejects a misspelled or misplaced key.
// A field added to the dashboard must be added here, with the name and
// type of Grafana's dashboard JSON model (schemaVersion 39).

type dashboard struct {
	Annotations struct {
		List []annotation `json:"list"`
	} `json:"annotations"`
	Description          string            `json:"description"`
	Editable             bool              `json:"editable"`
	FiscalYearStartMonth int               `json:"fiscalYearStartMonth"`
	GraphTooltip         int               `json:"graphTooltip"`
	ID                   *int              `json:"id"`
	Links                []json.RawMessage `json:"links"`
	Panels               []panel           `json:"panels"`
	Refresh              string            `json:"refresh"`
	SchemaVersion        int               `json:"schemaVersion"`
	Tags                 []string          `json:"tags"`
	Templating           struct {
		List []variable `json:"list"`
	} `json:"templating"`
	Time struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"time"`
	Timepicker struct{} `json:"timepicker"`
	Timezone   string   `json:"timezone"`
	Title      string   `json:"title"`
	UID        string   `json:"uid"`
	Version    int      `json:"version"`
}

type datasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// annotation is the built-in annotation query or a Prometheus one.
type annotation struct {
	BuiltIn     int            `json:"builtIn"`
	Datasource  *datasourceRef `json:"datasource"`
	Enable      bool           `json:"enable"`
	Hide        bool           `json:"hide"`
	IconColor   string         `json:"iconColor"`
	Name        string         `json:"name"`
	Type        string         `json:"type"`
	Expr        string         `json:"expr"`
	Step        string         `json:"step"`
	TitleFormat string         `json:"titleFormat"`
	TextFormat  string         `json:"textFormat"`
	TagKeys     string         `json:"tagKeys"`
}

// variable is a datasource or query template variable.
type variable struct {
	Current    struct{}       `json:"current"`
	Datasource *datasourceRef `json:"datasource"`
	Definition string         `json:"definition"`
	Hide       int            `json:"hide"`
	IncludeAll bool           `json:"includeAll"`
	Label      string         `json:"label"`
	Multi      bool           `json:"multi"`
	Name       string         `json:"name"`
	Options    []struct{}     `json:"options"`
	Query      variableQuery  `json:"query"`
	Refresh    int            `json:"refresh"`
	Regex      string         `json:"regex"`
	Sort       int            `json:"sort"`
	Type       string         `json:"type"`
}

// variableQuery is a plain string (datasource variables) or the Prometheus
// variable query editor's object.
type variableQuery struct {
	String string
	Editor *struct {
		QryType int    `json:"qryType"`
		Query   string `json:"query"`
		RefID   string `json:"refId"`
	}
}

// UnmarshalJSON decodes either form, strictly.
func (q *variableQuery) UnmarshalJSON(b []byte) error {
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte(`"`)) {
		return json.Unmarshal(b, &q.String)
	}
	if err := strictDecode(b, &q.Editor); err != nil {
		return err
	}
	if q.Editor == nil {
		return errors.New("variable query is neither a string nor an object")
	}
	return nil
}

type panel struct {
	ID              int            `json:"id"`
	Type            string         `json:"type"`
	Title           string         `json:"title"`
	Description     string         `json:"description"`
	GridPos         gridPos        `json:"gridPos"`
	Datasource      *datasourceRef `json:"datasource"`
	Targets         []target       `json:"targets"`
	FieldConfig     *fieldConfig   `json:"fieldConfig"`
	Options         *panelOptions  `json:"options"`
	Transformations []transform    `json:"transformations"`
	Collapsed       bool           `json:"collapsed"`
	Panels          []panel        `json:"panels"`
	Repeat          string         `json:"repeat"`
}

type gridPos struct {
	H int `json:"h"`
	W int `json:"w"`
	X int `json:"x"`
	Y int `json:"y"`
}

type target struct {
	Datasource   *datasourceRef `json:"datasource"`
	EditorMode   string         `json:"editorMode"`
	Expr         string         `json:"expr"`
	LegendFormat string         `json:"legendFormat"`
	RefID        string         `json:"refId"`
	Instant      bool           `json:"instant"`
	Range        bool           `json:"range"`
	Format       string         `json:"format"`
}

type fieldConfig struct {
	Defaults  fieldDefaults `json:"defaults"`
	Overrides []struct {
		Matcher struct {
			ID      string `json:"id"`
			Options string `json:"options"`
		} `json:"matcher"`
		Properties []struct {
			ID    string `json:"id"`
			Value any    `json:"value"`
		} `json:"properties"`
	} `json:"overrides"`
}

type fieldDefaults struct {
	Unit    string `json:"unit"`
	NoValue string `json:"noValue"`
	Color   struct {
		Mode       string `json:"mode"`
		FixedColor string `json:"fixedColor"`
	} `json:"color"`
	Mappings   []valueMapping `json:"mappings"`
	Thresholds *struct {
		Mode  string `json:"mode"`
		Steps []struct {
			Color string   `json:"color"`
			Value *float64 `json:"value"`
		} `json:"steps"`
	} `json:"thresholds"`
	Custom *fieldCustom `json:"custom"`
}

// valueMapping is a value mapping of type "value": options keyed by the
// value as text.
type valueMapping struct {
	Type    string `json:"type"`
	Options map[string]struct {
		Color string `json:"color"`
		Index int    `json:"index"`
		Text  string `json:"text"`
	} `json:"options"`
}

// fieldCustom holds the panel-specific field settings of the time series,
// state timeline and table panels.
type fieldCustom struct {
	DrawStyle         string   `json:"drawStyle"`
	LineWidth         *int     `json:"lineWidth"`
	FillOpacity       *int     `json:"fillOpacity"`
	ShowPoints        string   `json:"showPoints"`
	SpanNulls         *bool    `json:"spanNulls"`
	LineInterpolation string   `json:"lineInterpolation"`
	AxisSoftMin       *float64 `json:"axisSoftMin"`
	Align             string   `json:"align"`
	CellOptions       *struct {
		Type string `json:"type"`
	} `json:"cellOptions"`
	Filterable bool `json:"filterable"`
}

// panelOptions holds the options of the panel types used.
type panelOptions struct {
	Legend *struct {
		DisplayMode string   `json:"displayMode"`
		Placement   string   `json:"placement"`
		ShowLegend  bool     `json:"showLegend"`
		Calcs       []string `json:"calcs"`
	} `json:"legend"`
	Tooltip *struct {
		Mode string `json:"mode"`
		Sort string `json:"sort"`
	} `json:"tooltip"`
	ReduceOptions *struct {
		Values bool     `json:"values"`
		Calcs  []string `json:"calcs"`
		Fields string   `json:"fields"`
	} `json:"reduceOptions"`
	Orientation string  `json:"orientation"`
	TextMode    string  `json:"textMode"`
	ColorMode   string  `json:"colorMode"`
	GraphMode   string  `json:"graphMode"`
	JustifyMode string  `json:"justifyMode"`
	MergeValues *bool   `json:"mergeValues"`
	ShowValue   string  `json:"showValue"`
	AlignValue  string  `json:"alignValue"`
	RowHeight   float64 `json:"rowHeight"`
	ShowHeader  *bool   `json:"showHeader"`
	CellHeight  string  `json:"cellHeight"`
	SortBy      []struct {
		DisplayName string `json:"displayName"`
		Desc        bool   `json:"desc"`
	} `json:"sortBy"`
}

// transform is an "organize" transformation.
type transform struct {
	ID      string `json:"id"`
	Options struct {
		ExcludeByName map[string]bool   `json:"excludeByName"`
		IndexByName   map[string]int    `json:"indexByName"`
		RenameByName  map[string]string `json:"renameByName"`
	} `json:"options"`
}

// strictDecode decodes one JSON value, rejecting unknown fields and
// trailing data.
func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}
