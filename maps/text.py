"""User-facing text of the maps package, in one place.

The browser map's text (:data:`PAGE_TEXT`) is in Spanish and English, and so is the static print
map's (:data:`STATIC_TEXT_BY_LANG`; :data:`TEXT` keeps its English title). Map code never embeds
user-facing strings elsewhere.
"""

from __future__ import annotations

TEXT: dict[str, str] = {
    "title": "Candidate manufacturing sites in Mexico, ranked",
}

#: Text of the interactive (browser) map, :mod:`siting.maps.interactive`, in both languages of the
#: page (``map.html`` switches between them; ``siting run --lang`` picks the one it opens in).
#: Every key exists in both; ``{placeholders}`` are filled by the page's script.
PAGE_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Candidate manufacturing sites in Mexico, ranked",
        "subtitle": "Scenario {scenario} · {method} · {n} sites",
        "lang_en": "English",
        "lang_es": "Español (Spanish)",
        "tab_ranking": "Ranking",
        "tab_weights": "Weights",
        "tab_shortlist": "Shortlist",
        "tab_notes": "Notes",
        # ranking table and filters
        "search": "Search a site by name",
        "all_states": "All states",
        "all_metros": "All metropolitan areas",
        "score_min": "Score from",
        "score_max": "to",
        "filters_reset": "Clear filters",
        "count": "Showing {shown} of {n} sites ({total} in the run)",
        "show_more": "Show {n} more",
        "col_rank": "Rank",
        "col_site": "Site",
        "col_metro": "Metro area",
        "col_state": "State",
        "col_score": "Score",
        "col_change": "Δ",
        "col_rank_tip": "Rank at the current weights (1 = best)",
        "col_site_tip": "Candidate site; click to show it on the map",
        "col_metro_tip": "Metropolitan area (2015 delimitation)",
        "col_state_tip": "State",
        "col_score_tip": "Score at the current weights (0-100)",
        "col_change_tip": "Places gained (▲) or lost (▼) against the run's ranking",
        "badge_metro": "metro #{rank}",
        "badge_site": "top {rank}",
        "top_metro_tip": "best site in {metro} (#{rank} among metropolitan areas)",
        "status_excluded": "excluded",
        "status_unreachable": "not reachable by road",
        "status_outside": "outside Mexico",
        "status_outside_long": "Outside Mexico: not measured or scored",
        "status_unreachable_long": "Not reachable by road: no commercial crossing can be reached",
        "status_unreachable_km": (
            "Not reachable by road: no commercial crossing can be reached (site {km} km from the "
            "road network)"
        ),
        # weights panel
        "method": "Aggregation",
        "method_weighted_sum": "Weighted sum",
        "method_weighted_product": "Weighted product",
        "method_topsis": "TOPSIS",
        "direction": "direction",
        "benefit": "higher is better",
        "cost": "lower is better",
        "target": "closest to a target",
        "weights_reset": "Back to the run's weights",
        "weights_zero": (
            "At least one weight must be above zero; the ranking shows the last valid weights."
        ),
        "range_note": (
            "Rank ranges (popups, shortlist) come from the run: {draws} random weight sets around "
            "these weights (seed {seed})."
        ),
        "range_note_changed": (
            "Rank ranges (popups, shortlist) are the run's ({draws} random weight sets around the "
            "run's weights, seed {seed}); they are not recomputed for the weights set here."
        ),
        # popup
        "criterion": "Criterion",
        "value": "Value",
        "normalized": "Normalized (0–1)",
        "weight": "Weight",
        "points": "Points",
        "total": "Total (score)",
        "score": "Score",
        "score_reference": "Score (for reference only)",
        "excluded_by": "Excluded by",
        "metro": "Metropolitan area",
        "metro_ranked": "{metro} (#{rank} among metropolitan areas)",
        "aliases": "Also listed as",
        "nearest_crossing": "Nearest crossing",
        "nearest_seaport": "Nearest container port",
        "distance_method": "Distances",
        "unreachable": "not reachable by road",
        "why_line": (
            "Dashed line: truck route to {crossing} ({minutes} min); shaded: the area within "
            "{commute} min by road (commute)."
        ),
        "why_missing": ("Route and commute area are drawn for the {n} best sites of the run only."),
        "popup_range": "Rank over weight draws: {best}–{worst} (median {median})",
        "popup_p90": "90 % of draws within ranks {lo}–{hi}",
        "popup_top_k": "in the top {k} in {share} of draws",
        "popup_top_any": "share of draws in the top ranks: {share}",
        "range_run": "(run's weights)",
        "range_run_changed": "(run's weights, not the ones set here)",
        "rank_range": "Rank range over weight draws (run's weights)",
        # shortlist
        "shortlist_add": "Add to shortlist",
        "shortlist_remove": "Remove from shortlist",
        "shortlist_clear": "Clear",
        "shortlist_empty": (
            "No site yet: open a site (map or table) and press “Add to shortlist” to compare "
            "sites side by side."
        ),
        "shortlist_full": "At most {max} sites fit the shortlist; remove one first.",
        "export_shortlist": "Shortlist (CSV)",
        "export_ranking": "Whole ranking (CSV)",
        "export_toml": "Weights as a scenario (TOML)",
        "link": "Link to this view",
        "toml_head": (
            "siting scenario from map.html: scenario {scenario}, siting {version}, map of {date}."
        ),
        "toml_run": "Run it with: siting run map-scenario.toml",
        "toml_candidates": (
            "The run ranked candidates from a file (siting run --candidates FILE): pass the same "
            "file again."
        ),
        # map furniture
        "legend": "Legend",
        "legend_score": "Score of a candidate site (0–100)",
        "legend_top": "Larger circle: top {n} sites",
        "legend_top_metros": "Larger circle: best site of each of the top {n} metropolitan areas",
        "legend_excluded": "Excluded by a constraint",
        "legend_unreachable": "Not reachable by road",
        "legend_outside": "Outside Mexico (not scored)",
        "legend_shortlisted": "In the shortlist",
        "legend_why": "Selected site: truck route to its crossing, area within {commute} min",
        "layer_candidates": "Candidate sites",
        "layer_why": "Route and commute area of the selected site",
        "base_offline": "Offline map (bundled data)",
        "base_tiles": "OpenStreetMap tiles (online)",
        "attribution": "Roads: INEGI RNC · Boundaries: INEGI, Natural Earth",
        "tiles_attribution": "© OpenStreetMap contributors © CARTO",
        "notes": "Notes",
        "credits": "Data sources",
        "run_info": "Run of scenario {scenario} ({method}) with siting {version}, {date}.",
        # context layers (assets/context.js)
        "layer_crossings": "Commercial border crossings (trucks 2024)",
        "layer_seaports": "Container ports",
        "layer_labor": "Labour: population density",
        "layer_security": "Security: homicide rate (municipal)",
        "legend_labor": "Inhabitants per km² (Censo 2020)",
        "legend_security": (
            "Homicides per 100,000 inhabitants (municipal, Jul 2024–Jun 2025, smoothed toward the "
            "state rate)"
        ),
        "legend_crossing": "Border crossing; area ∝ trucks",
        "legend_seaport": "Container port; area ∝ containers (TEU)",
        "no_data": "no data",
        "municipality": "Municipality",
        "state": "State",
        "population": "Population 2020",
        "density": "Inhabitants per km²",
        "homicide_rate": "Homicides per 100,000 (municipal, Jul 2024–Jun 2025, smoothed)",
        "homicide_rate_state": "Homicide victims per 100,000 (state)",
        "cargo_theft_rate": "Cargo thefts per 100,000 (state)",
        "advisory": "US travel advisory (state)",
        "advisory_1": "Exercise normal precautions",
        "advisory_2": "Exercise increased caution",
        "advisory_3": "Reconsider travel",
        "advisory_4": "Do not travel",
        "trucks": "Inbound trucks 2024",
        "port": "Land port",
        "seaport": "Container port",
        "teu_per_year": "Containers per year (TEU, Jan–Apr 2024 × 3)",
        "teu_jan_apr": "Containers Jan–Apr 2024 (TEU)",
        "teu_short": "{teu} TEU/year",
        "coast_pacific": "Pacific",
        "coast_gulf": "Gulf of Mexico",
        "usa": "United States",
        "guatemala": "Guatemala",
        "belize": "Belize",
        "gulf_of_mexico": "Gulf of Mexico",
        "pacific_ocean": "Pacific Ocean",
        "caribbean": "Caribbean Sea",
        "gulf_of_california": "Gulf of California",
    },
    "es": {
        "title": "Sitios candidatos para plantas manufactureras en México, clasificados",
        "subtitle": "Escenario {scenario} · {method} · {n} sitios",
        "lang_en": "English (inglés)",
        "lang_es": "Español",
        "tab_ranking": "Clasificación",
        "tab_weights": "Pesos",
        "tab_shortlist": "Preselección",
        "tab_notes": "Notas",
        "search": "Buscar un sitio por nombre",
        "all_states": "Todos los estados",
        "all_metros": "Todas las zonas metropolitanas",
        "score_min": "Puntaje desde",
        "score_max": "hasta",
        "filters_reset": "Quitar filtros",
        "count": "Se muestran {shown} de {n} sitios ({total} en la corrida)",
        "show_more": "Mostrar {n} más",
        "col_rank": "Lugar",
        "col_site": "Sitio",
        "col_metro": "Zona metropolitana",
        "col_state": "Estado",
        "col_score": "Puntaje",
        "col_change": "Δ",
        "col_rank_tip": "Lugar con los pesos actuales (1 = el mejor)",
        "col_site_tip": "Sitio candidato; haga clic para verlo en el mapa",
        "col_metro_tip": "Zona metropolitana (delimitación 2015)",
        "col_state_tip": "Estado",
        "col_score_tip": "Puntaje con los pesos actuales (0-100)",
        "col_change_tip": (
            "Lugares ganados (▲) o perdidos (▼) frente a la clasificación de la corrida"
        ),
        "badge_metro": "ZM n.º {rank}",
        "badge_site": "mejores {rank}",
        "top_metro_tip": "mejor sitio de {metro} (n.º {rank} entre las zonas metropolitanas)",
        "status_excluded": "excluido",
        "status_unreachable": "sin acceso por carretera",
        "status_outside": "fuera de México",
        "status_outside_long": "Fuera de México: no se midió ni se calificó",
        "status_unreachable_long": ("Sin acceso por carretera: no llega a ningún cruce comercial"),
        "status_unreachable_km": (
            "Sin acceso por carretera: no llega a ningún cruce comercial (sitio a {km} km de la "
            "red de carreteras)"
        ),
        "method": "Agregación",
        "method_weighted_sum": "Suma ponderada",
        "method_weighted_product": "Producto ponderado",
        "method_topsis": "TOPSIS",
        "direction": "sentido",
        "benefit": "más es mejor",
        "cost": "menos es mejor",
        "target": "cerca de un valor meta",
        "weights_reset": "Volver a los pesos de la corrida",
        "weights_zero": (
            "Al menos un peso debe ser mayor que cero; la clasificación muestra los últimos "
            "pesos válidos."
        ),
        "range_note": (
            "Los rangos de lugar (ventanas, preselección) vienen de la corrida: {draws} juegos "
            "de pesos aleatorios alrededor de estos pesos (semilla {seed})."
        ),
        "range_note_changed": (
            "Los rangos de lugar (ventanas, preselección) son los de la corrida ({draws} juegos "
            "de pesos aleatorios alrededor de los pesos de la corrida, semilla {seed}); no se "
            "recalculan para los pesos fijados aquí."
        ),
        "criterion": "Criterio",
        "value": "Valor",
        "normalized": "Normalizado (0–1)",
        "weight": "Peso",
        "points": "Puntos",
        "total": "Total (puntaje)",
        "score": "Puntaje",
        "score_reference": "Puntaje (solo como referencia)",
        "excluded_by": "Excluido por",
        "metro": "Zona metropolitana",
        "metro_ranked": "{metro} (n.º {rank} entre las zonas metropolitanas)",
        "aliases": "También registrado como",
        "nearest_crossing": "Cruce más cercano",
        "nearest_seaport": "Puerto de contenedores más cercano",
        "distance_method": "Distancias",
        "unreachable": "sin acceso por carretera",
        "why_line": (
            "Línea discontinua: ruta de camión a {crossing} ({minutes} min); sombreado: el área "
            "a {commute} min o menos por carretera (traslado al trabajo)."
        ),
        "why_missing": (
            "La ruta y el área de traslado se dibujan solo para los {n} mejores sitios de la "
            "corrida."
        ),
        "popup_range": "Lugar con pesos aleatorios: {best}–{worst} (mediana {median})",
        "popup_p90": "90 % de los sorteos entre los lugares {lo}–{hi}",
        "popup_top_k": "entre los {k} mejores en {share} de los sorteos",
        "popup_top_any": "proporción de sorteos en los primeros lugares: {share}",
        "range_run": "(pesos de la corrida)",
        "range_run_changed": "(pesos de la corrida, no los fijados aquí)",
        "rank_range": "Rango de lugar con pesos aleatorios (pesos de la corrida)",
        "shortlist_add": "Agregar a la preselección",
        "shortlist_remove": "Quitar de la preselección",
        "shortlist_clear": "Vaciar",
        "shortlist_empty": (
            "Aún no hay sitios: abra un sitio (mapa o tabla) y pulse “Agregar a la "
            "preselección” para comparar sitios lado a lado."
        ),
        "shortlist_full": "La preselección admite hasta {max} sitios; quite uno primero.",
        "export_shortlist": "Preselección (CSV)",
        "export_ranking": "Clasificación completa (CSV)",
        "export_toml": "Pesos como escenario (TOML)",
        "link": "Enlace a esta vista",
        "toml_head": (
            "Escenario de siting desde map.html: escenario {scenario}, siting {version}, mapa del "
            "{date}."
        ),
        "toml_run": "Ejecútelo con: siting run map-scenario.toml",
        "toml_candidates": (
            "La corrida clasificó candidatos de un archivo (siting run --candidates ARCHIVO): "
            "vuelva a indicar el mismo archivo."
        ),
        "legend": "Simbología",
        "legend_score": "Puntaje del sitio candidato (0–100)",
        "legend_top": "Círculo mayor: los {n} mejores sitios",
        "legend_top_metros": (
            "Círculo mayor: mejor sitio de cada una de las {n} mejores zonas metropolitanas"
        ),
        "legend_excluded": "Excluido por una restricción",
        "legend_unreachable": "Sin acceso por carretera",
        "legend_outside": "Fuera de México (sin puntaje)",
        "legend_shortlisted": "En la preselección",
        "legend_why": "Sitio seleccionado: ruta de camión a su cruce, área a {commute} min",
        "layer_candidates": "Sitios candidatos",
        "layer_why": "Ruta y área de traslado del sitio seleccionado",
        "base_offline": "Mapa sin conexión (datos incluidos)",
        "base_tiles": "Teselas de OpenStreetMap (en línea)",
        "attribution": "Carreteras: INEGI RNC · Límites: INEGI, Natural Earth",
        "tiles_attribution": "© colaboradores de OpenStreetMap © CARTO",
        "notes": "Notas",
        "credits": "Fuentes de datos",
        "run_info": "Corrida del escenario {scenario} ({method}) con siting {version}, {date}.",
        # context layers (assets/context.js)
        "layer_crossings": "Cruces fronterizos comerciales (camiones 2024)",
        "layer_seaports": "Puertos de contenedores",
        "layer_labor": "Mano de obra: densidad de población",
        "layer_security": "Seguridad: tasa de homicidios (municipal)",
        "legend_labor": "Habitantes por km² (Censo 2020)",
        "legend_security": (
            "Homicidios por cada 100,000 habitantes (municipal, jul 2024–jun 2025, suavizada "
            "hacia la tasa estatal)"
        ),
        "legend_crossing": "Cruce fronterizo; área ∝ camiones",
        "legend_seaport": "Puerto de contenedores; área ∝ contenedores (TEU)",
        "no_data": "sin datos",
        "municipality": "Municipio",
        "state": "Estado",
        "population": "Población 2020",
        "density": "Habitantes por km²",
        "homicide_rate": (
            "Homicidios por cada 100,000 habitantes (municipal, jul 2024–jun 2025, suavizada)"
        ),
        "homicide_rate_state": "Víctimas de homicidio por cada 100,000 habitantes (estatal)",
        "cargo_theft_rate": "Robos a transportista por cada 100,000 habitantes (estatal)",
        "advisory": "Alerta de viaje de EE. UU. (estatal)",
        "advisory_1": "Tome precauciones normales",
        "advisory_2": "Tome mayores precauciones",
        "advisory_3": "Reconsidere su viaje",
        "advisory_4": "No viaje",
        "trucks": "Camiones de entrada 2024",
        "port": "Puerto fronterizo",
        "seaport": "Puerto de contenedores",
        "teu_per_year": "Contenedores por año (TEU, ene–abr 2024 × 3)",
        "teu_jan_apr": "Contenedores ene–abr 2024 (TEU)",
        "teu_short": "{teu} TEU/año",
        "coast_pacific": "Pacífico",
        "coast_gulf": "Golfo de México",
        "usa": "Estados Unidos",
        "guatemala": "Guatemala",
        "belize": "Belice",
        "gulf_of_mexico": "Golfo de México",
        "pacific_ocean": "Océano Pacífico",
        "caribbean": "Mar Caribe",
        "gulf_of_california": "Golfo de California",
    },
}

#: Text of the static print map (:mod:`siting.maps.static`), in English; ``{placeholders}`` are
#: filled by the map. :data:`STATIC_TEXT_BY_LANG` holds the Spanish edition
#: (``static_map(..., lang="es")``, ``siting run --lang es``).
STATIC_TEXT: dict[str, str] = {
    "title": "Candidate manufacturing sites in Mexico, ranked",
    "subtitle": "Top {top_n} of {n_ranked} ranked candidate sites",
    "subtitle_excluded": " · {n_excluded} excluded by constraints",
    "top_header": "Top {n} candidates",
    "subtitle_metros": (
        "Best site of each of the top {top_n} metropolitan areas · "
        "{n_ranked} ranked candidate sites"
    ),
    "top_header_metros": "Top {n} metropolitan areas",
    "site_rank": "site #{rank}",
    "more": "… and {n} more in the ranking table",
    "empty": "No ranked candidates.",
    "score_label": "Score (higher is better)",
    "score_range": "Colours span this run's scores: {low}–{high} (of 0–100)",
    "candidate": "Candidate site",
    "top_site": "Numbered site (see the list)",
    "excluded": "Excluded by a constraint",
    "crossings_header": "Commercial border crossings",
    "crossings_sub": "inbound trucks per year",
    "crossings_sub_year": "inbound trucks in {year}",
    "criteria_header": "Criteria and weights",
    "benefit": "higher is better",
    "cost": "lower is better",
    "notes": "Notes:",
    "credits": "Data:",
    "crs": "Projection: EPSG:6372 — Mexico ITRF2008 / LCC.",
    "north": "N",
    "north_caption": (
        "The arrow points to grid north; true north differs by up to {deg:.0f}° at the map edges."
    ),
    "software": "Map made with siting {version}.",
    "detail": "Detail: {place}",
    "detail_plain": "Detail of the framed area",
}

#: :data:`STATIC_TEXT` in both languages (Mexican Spanish: "Puntaje", "corrida", "Lugar"... as in
#: the browser map). Only ``"north"`` ("N") reads the same in both.
STATIC_TEXT_BY_LANG: dict[str, dict[str, str]] = {
    "en": STATIC_TEXT,
    "es": {
        "title": "Sitios candidatos para plantas manufactureras en México, clasificados",
        "subtitle": "Los {top_n} mejores de {n_ranked} sitios candidatos clasificados",
        "subtitle_excluded": " · {n_excluded} excluidos por restricciones",
        "top_header": "Los {n} mejores candidatos",
        "subtitle_metros": (
            "Mejor sitio de cada una de las {top_n} mejores zonas metropolitanas · "
            "{n_ranked} sitios candidatos clasificados"
        ),
        "top_header_metros": "Las {n} mejores zonas metropolitanas",
        "site_rank": "sitio n.º {rank}",
        "more": "… y {n} más en la tabla de clasificación",
        "empty": "No hay candidatos clasificados.",
        "score_label": "Puntaje (más es mejor)",
        "score_range": (
            "Los colores abarcan los puntajes de esta corrida: {low}–{high} (de 0 a 100)"
        ),
        "candidate": "Sitio candidato",
        "top_site": "Sitio numerado (ver la lista)",
        "excluded": "Excluido por una restricción",
        "crossings_header": "Cruces fronterizos comerciales",
        "crossings_sub": "camiones de entrada por año",
        "crossings_sub_year": "camiones de entrada en {year}",
        "criteria_header": "Criterios y pesos",
        "benefit": "más es mejor",
        "cost": "menos es mejor",
        "notes": "Notas:",
        "credits": "Datos:",
        "crs": "Proyección: EPSG:6372 — México ITRF2008 / LCC.",
        "north": "N",
        "north_caption": (
            "La flecha indica el norte de la cuadrícula; el norte verdadero difiere hasta "
            "{deg:.0f}° en los bordes del mapa."
        ),
        "software": "Mapa elaborado con siting {version}.",
        "detail": "Detalle: {place}",
        "detail_plain": "Detalle del área enmarcada",
    },
}

# --- state atlas ----------------------------------------------------------------------------------

#: Text of the state atlas (:mod:`siting.maps.atlas`): one print sheet per state and a cover, in
#: English; :data:`ATLAS_TEXT_BY_LANG` holds the Spanish edition (the atlas's default). The names
#: of the aggregation methods, the neighbouring countries and the seas come from
#: :data:`PAGE_TEXT`; text that reads the same in both languages is in :data:`ATLAS_TEXT_SAME`.
ATLAS_TEXT: dict[str, str] = {
    "title": "Sites for export manufacturing — {state}",
    "subtitle": "Scenario “{scenario}” · {method} · national scores and ranks · {date}",
    "cover_title": "Atlas of sites for export manufacturing",
    "cover_subtitle": (
        "Mexico · scenario “{scenario}” · {method} · {n_ranked} ranked candidate sites · {date}"
    ),
    # side list of the state's best sites
    "list_header": "Best sites in the state",
    "list_sub": "{n_ranked} ranked sites in the state · number: rank in the state",
    "list_national": "#{rank} national",
    "list_crossing": "Crossing {crossing}: {time} h by truck",
    "list_empty": "No site of this state is ranked in this run.",
    "list_more": "and {n} more ranked sites in the run's ranking table",
    "list_score": "Score",
    # legend
    "legend_header": "Legend",
    "surface_header": "Best national score within {limit} of the municipality",
    "surface_sub": (
        "Best ranked site a worker reaches by road from the municipality's largest locality; "
        "classes: natural breaks over all of Mexico."
    ),
    "surface_sub_km": (
        "Best ranked site within a straight line of the municipality's largest locality; "
        "classes: natural breaks over all of Mexico."
    ),
    "limit_min": "{minutes} min",
    "limit_km": "{km} km",
    "nodata": "No site within {limit}",
    "key_site": "Candidate site (colour: national score)",
    "key_top": "Best sites of the state (rank in the state)",
    "key_top_cover": "Best site of each of the best metro areas (the metro's rank)",
    "key_crossing": "Commercial border crossing (size: trucks {year})",
    "key_crossing_any": "Commercial border crossing (size: trucks)",
    "key_seaport": "Container seaport",
    "key_city": "City",
    "key_road": "Trunk road (toll or federal)",
    "key_state": "Other state",
    "key_abroad": "Other country",
    "key_municipal": "Municipal boundary",
    # map furniture
    "scale": "Scale 1:{scale} on {paper}",
    "paper_letter": "letter paper",
    "paper_tabloid": "tabloid paper",
    "paper_a4": "A4 paper",
    "paper_a3": "A3 paper",
    "lon_west": "{angle}W",
    "locator": "Location in Mexico",
    "detail": "Detail: {place} metropolitan area",
    "detail_plain": "Detail of the framed area",
    # footer
    "projection": (
        "Projection: Lambert conformal conic, EPSG:6372 (Mexico ITRF2008 / LCC); graticule "
        "every {step}; the arrow points to true north."
    ),
    "national_note": "Scores and ranks are those of the national run, never rescaled by state.",
    "remote_note": (
        "Islands of the state more than {km} km from its mainland lie outside the frame."
    ),
    "sources": "Sources:",
    "licence_public_domain": "public domain",
    "licence_inegi": "INEGI free-use terms",
    "licence_open_mx": "Mexican open data, Libre Uso MX",
    "licence_facts": "published statistics, cited",
    "author": "Prepared by: {author}",
    "author_blank": "Prepared by: ______________________________",
    "made_on": "Date: {date}",
    "run": "Run: {run_id} · run.json",
    "run_blank": "Run: not recorded",
    "software": "Made with siting {version}",
    "notes": "Notes:",
    # cover: index of the states
    "index_header": "States by their best national score",
    "index_page": "Page",
    "index_state": "State",
    "index_site": "Best site",
    "index_rank": "Nat. rank",
    "index_score": "Score",
    "index_none": "no ranked site",
    "cover_top_header": "The {n} best metropolitan areas, each with its best site",
    # the atlas command's progress bar
    "progress": "State sheets",
}

#: :data:`ATLAS_TEXT` in both languages (Spanish: the atlas's default).
ATLAS_TEXT_BY_LANG: dict[str, dict[str, str]] = {
    "en": ATLAS_TEXT,
    "es": {
        "title": "Sitios para manufactura de exportación — {state}",
        "subtitle": "Escenario «{scenario}» · {method} · puntajes y lugares nacionales · {date}",
        "cover_title": "Atlas de sitios para manufactura de exportación",
        "cover_subtitle": (
            "México · escenario «{scenario}» · {method} · {n_ranked} sitios candidatos "
            "clasificados · {date}"
        ),
        "list_header": "Mejores sitios del estado",
        "list_sub": "{n_ranked} sitios clasificados en el estado · número: lugar en el estado",
        "list_national": "n.º {rank} nacional",
        "list_crossing": "Cruce {crossing}: {time} h en camión",
        "list_empty": "Ningún sitio de este estado está clasificado en esta corrida.",
        "list_more": "y {n} sitios clasificados más en la tabla de la corrida",
        "list_score": "Puntaje",
        "legend_header": "Simbología",
        "surface_header": "Mejor puntaje nacional a ≤ {limit} del municipio",
        "surface_sub": (
            "Mejor sitio clasificado al que se llega por carretera desde la localidad mayor del "
            "municipio; clases: cortes naturales de todo México."
        ),
        "surface_sub_km": (
            "Mejor sitio clasificado en línea recta desde la localidad mayor del municipio; "
            "clases: cortes naturales de todo México."
        ),
        "limit_min": "{minutes} minutos",
        "limit_km": "{km} kilómetros",
        "nodata": "Sin sitio a ≤ {limit}",
        "key_site": "Sitio candidato (color: puntaje nacional)",
        "key_top": "Mejores sitios del estado (lugar en el estado)",
        "key_top_cover": "Mejor sitio de las mejores zonas metropolitanas (lugar de la zona)",
        "key_crossing": "Cruce fronterizo comercial (tamaño: camiones {year})",
        "key_crossing_any": "Cruce fronterizo comercial (tamaño: camiones)",
        "key_seaport": "Puerto de contenedores",
        "key_city": "Ciudad",
        "key_road": "Carretera troncal (de cuota o federal)",
        "key_state": "Otro estado",
        "key_abroad": "Otro país",
        "key_municipal": "Límite municipal",
        "scale": "Escala 1:{scale} en {paper}",
        "paper_letter": "hoja carta",
        "paper_tabloid": "hoja doble carta",
        "paper_a4": "hoja A4",
        "paper_a3": "hoja A3",
        "lon_west": "{angle}O",
        "locator": "Ubicación en México",
        "detail": "Detalle: zona metropolitana de {place}",
        "detail_plain": "Detalle del área enmarcada",
        "projection": (
            "Proyección: cónica conforme de Lambert, EPSG:6372 (México ITRF2008 / LCC); "
            "retícula cada {step}; la flecha indica el norte geográfico."
        ),
        "national_note": "Puntajes y lugares de la corrida nacional, sin reescalar por estado.",
        "remote_note": (
            "Las islas del estado a más de {km} km de su territorio continental quedan fuera "
            "del marco."
        ),
        "sources": "Fuentes:",
        "licence_public_domain": "dominio público",
        "licence_inegi": "términos de libre uso del INEGI",
        "licence_open_mx": "datos abiertos, Libre Uso MX",
        "licence_facts": "estadística publicada, citada",
        "author": "Elaboró: {author}",
        "author_blank": "Elaboró: ______________________________",
        "made_on": "Fecha de elaboración: {date}",
        "run": "Corrida: {run_id} · run.json",
        "run_blank": "Corrida: sin registro",
        "software": "Elaborado con siting {version}",
        "notes": "Notas:",
        "index_header": "Estados por su mejor puntaje nacional",
        "index_page": "Pág.",
        "index_state": "Estado",
        "index_site": "Mejor sitio",
        "index_rank": "Lugar nac.",
        "index_score": "Puntaje",
        "index_none": "sin sitio clasificado",
        "cover_top_header": "Las {n} mejores zonas metropolitanas, con su mejor sitio",
        "progress": "Hojas de los estados",
    },
}

#: Text of the atlas that reads the same in English and Spanish.
ATLAS_TEXT_SAME: dict[str, str] = {
    "north": "N",
    "lat_north": "{angle}N",
    "source_item": "{credit} ({details})",
    "source_item_plain": "{credit}",
}
