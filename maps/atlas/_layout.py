"""Layout of the atlas pages: sizes, gaps, font sizes and colours, in one place.

Lengths are inches from the page's lower-left corner unless a name says points (1/72 inch);
font sizes are points.
"""

from __future__ import annotations

from siting.maps.style import CROSSING_COLOR, SEAPORT_COLOR

# --- page ----------------------------------------------------------------------------------------

MARGIN = 0.4  # page margin
TITLE_H = 0.66  # title and subtitle above the map frame
GRID_PAD = 0.17  # room outside the map frame for the graticule's coordinates
GAP = 0.22  # between the map frame (with its coordinates) and the panel
FOOTER_GAP = 0.12  # between the footer and the map frame's coordinates
PANEL_W = {"letter": 3.05, "a4": 3.05, "tabloid": 3.6, "a3": 3.6}  # landscape side panel
LEGEND_W_PORTRAIT = 3.05  # legend column of a portrait page (the list takes the rest)
PANEL_MAX_PORTRAIT = 0.46  # most of a portrait page's height under the title the panel takes
LINE = 1.28  # line height, multiple of the font size
#: Text is wrapped to this fraction of its room: a page drawn without the atlas's unhinted text
#: (``fig.savefig`` outside :func:`~siting.maps.atlas.save_sheet`) sets small text up to ~4 %
#: wider at screen resolutions.
WRAP_SLACK = 0.95

TITLE_FS = 15.0
TITLE_MIN_FS = 10.0
SUBTITLE_FS = 9.0
FOOTER_FS = 6.4  # first footer line: author, date, run, version
NOTE_FS = 5.8  # projection and notes
SOURCE_FS = 5.6  # sources

# --- panel: list and legend ----------------------------------------------------------------------

HEADER_FS = 9.5  # "Best sites in the state", "Legend"
SUB_FS = 6.3  # the line under a header
LIST_SIZES = (7.5, 7.0, 6.5, 6.0, 5.5)  # font sizes tried for the list, largest first
LIST_GAP_PT = 3.5  # between two entries, points
BADGE_FS = 6.5  # circled numbers on the map and in the list
BADGE_PAD = 0.32  # circle padding, fraction of the font size
SECTION_FS = 7.3  # legend section headers
KEY_FS = 6.5  # legend entries
SWATCH_W = 0.26
SWATCH_H = 0.12

# --- map -----------------------------------------------------------------------------------------

FRAME_MARGIN = 0.05  # extent around the state, fraction of its larger side
LOCATOR_W = 1.35  # locator inset width (letter); scaled with the page
SCALE_FS = 6.3
NORTH_FS = 8.5
GRID_FS = 5.6  # graticule coordinates
MUN_FS = 5.2  # municipality names
MUN_FS_BIG = 6.2  # names of municipalities large on the page
STATE_FS = 7.5  # neighbouring states' names
CITY_FS = 6.4
CITY_FS_SMALL = 5.6
POINT_FS = 6.0  # crossings and seaports
SEA_FS = 8.0

# --- colours -------------------------------------------------------------------------------------

SEA = "#dbe9f3"
OTHER_STATE = "#dedede"
ABROAD = "#f1efea"
STATE_EDGE = "#ffffff"
MAPPED_EDGE = "#2b2b2b"  # outline of the mapped state
MUN_EDGE = "#ffffff"
ROAD = "#8c510a"
CROSSING = CROSSING_COLOR
SEAPORT = SEAPORT_COLOR
CITY = "#1a1a1a"
TEXT = "#1a1a1a"
MUTED = "#555555"
GRID = "#6f8597"
SEA_TEXT = "#4d7290"
ABROAD_TEXT = "#8a8578"
STATE_TEXT = "#8a8a8a"
LOCATOR_HIGHLIGHT = "#d7301f"
