"""Layout of the static print map: every size, gap, font size and placement threshold.

Lengths on the page are in inches from its lower-left corner unless a name says otherwise (points
are 1/72 inch); font sizes are in points. Each constant is defined here once and imported by the
module that draws with it, so a text is always measured at the size it is drawn at.
"""

from __future__ import annotations

#: Font family of every text of the map (also set as ``font.family`` while drawing and saving).
_FONT = "DejaVu Sans"

# --- page ----------------------------------------------------------------------------------------

_MARGIN = 0.4  # page margin, inches
_PANEL_W = 3.3  # side panel (landscape) and key column (portrait) width, inches
_PANEL_W_WIDE = 4.0  # side panel of a landscape page at least _WIDE_PAGE inches wide
_WIDE_PAGE = 14.0
_GAP = 0.25  # gap between map and panel, inches
_TITLE_BLOCK_H = 0.72  # height above the map frame for title and subtitle, inches
_SUBTITLE_Y = 0.36  # top of the subtitle below the top margin, inches
_FOOTER_GAP = 0.2  # gap between the footer and the map frame, inches
_LIST_GAP = 0.2  # gap between the keys and the list of the best sites, inches
_MIN_MAP_SHARE = 0.4  # portrait: the map keeps at least this share of the height below the title
_LINE = 1.35  # line height as a multiple of the font size

_TITLE_FS = 15  # page title
_SUBTITLE_FS = 9.5
_FOOTER_FS = 6.3  # footer font size, points

# --- map frame and its content -------------------------------------------------------------------

_MIN_ISLAND_KM2 = 300.0  # remote islands smaller than this do not stretch the extent
_CROSSING_MAX_AREA = 260.0  # marker area (points²) of the largest legend value
_CROSSING_MIN_AREA = 5.0
#: Candidate marker areas (points²): main map, detail inset; numbered (listed) sites are larger
#: and outlined in black; excluded sites are grey and smaller.
_CANDIDATE_AREA = 26.0
_CANDIDATE_DETAIL_AREA = 42.0
_TOP_AREA_FACTOR = 2.6
_EXCLUDED_AREA_FACTOR = 0.7
_CROSSINGS_LABELLED = 5  # busiest crossings named on the map
_CROSSING_LABEL_FS = 6  # names of crossings on the map
_LABEL_FS = 6.5  # rank numbers on the map and in the list
_LABEL_PAD = 0.3  # circle padding of rank numbers, fraction of the font size
_SCALE_FS = 7  # scale bar of the main map
_NORTH_FS = 10  # "N" of the north arrow

# --- detail insets -------------------------------------------------------------------------------

#: Horizontal span and top of the detail insets, as fractions of the main map frame: the upper
#: right, over Texas and the Gulf of Mexico; their bottom stops above the land below.
_INSET_X = (0.655, 0.99)
_INSET_TOP = 0.985
_INSET_MIN_H = 0.33  # smallest free height (fraction of the frame) for one inset
_INSET_MIN_EACH = 0.24  # smallest height of each of two stacked insets
_INSET_GAP = 8.0  # points between stacked insets
_INSET_MIN_ZOOM = 2.5  # an inset must enlarge its group at least this many times
_INSET_TITLE_FS = 7  # title of an inset ("A  Detail: ...")
_INSET_TAG_FS = 7  # letter of an inset next to its frame on the main map
_INSET_SCALE_FS = 6  # scale bar of an inset

# --- side panel ----------------------------------------------------------------------------------

_LIST_HEADER_FS = 10  # "Top n candidates"
#: Font sizes tried for the names of the list, largest first, until every row fits (the muted
#: municipality line is one point smaller, never under :data:`_PLACE_MIN_FS`)
_NAME_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5)
_PLACE_MIN_FS = 6.0
_LIST_LINE = 1.18  # line height of the list, multiple of the font size
_ROW_GAP = 0.055  # gap between two rows of the list, inches
_ROW_MIN_H = 0.2  # smallest height of a row of the list (its circled number), inches
_NAME_INDENT = 0.27  # names start this far right of the list's left edge, inches
_LIST_NOTE_FS = 8  # "No ranked candidates."
_LIST_MORE_FS = 7  # "… and n more in the ranking table"
_SECTION_FS = 8  # headers of the keys (score, crossings, criteria)
_KEY_FS = 7  # candidate symbol key ("Excluded by a constraint")
_KEY_SMALL_FS = 6.5  # crossing volumes and their unit
_CRITERION_FS = 6.8  # criteria and their weights
_DIRECTION_FS = 6.3  # "↑ higher is better ↓ lower is better"
_COLORBAR_FS = 6.5  # ticks of the score colour bar
_KEY_LINE = 1.25  # line height of the keys, multiple of the font size
