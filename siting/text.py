"""User-facing text of the siting package, in one place.

Code never embeds user-facing strings elsewhere. Each table maps a key to a ``str.format``
template. The English edition keeps its plain names (:data:`NOTES`, :data:`NETWORK_TEXT`,
:data:`CLI`, ...), which code and tests import.

The tables whose text reaches a run's notes (the caveats of the maps, which are bilingual) are
also in Mexican Spanish: ``<TABLE>_BY_LANG = {"en": <TABLE>, "es": {...}}`` maps each language of
:data:`LANGUAGES` to its edition, so one name holds one table in both languages
(:data:`NOTES_BY_LANG`, :data:`NETWORK_TEXT_BY_LANG`, :data:`EXCLUDED_BY_BY_LANG`). A Spanish
edition has exactly the keys and ``{placeholders}`` of the English one (tests/test_text_es.py);
:func:`check_lang` validates a language code. The command-line text (:data:`CLI`,
:data:`TABLE_HEADINGS`, :data:`METRO_HEADINGS`, :data:`CHART`, :data:`COMPARE`) is English
only. The label and description of each criterion live with the criterion, in both languages
(:mod:`siting.criteria`).
"""

from __future__ import annotations

#: Languages of the ``*_BY_LANG`` tables: English and (Mexican) Spanish.
LANGUAGES: tuple[str, ...] = ("en", "es")


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is one of :data:`LANGUAGES`.

    Raises
    ------
    ValueError
        Naming the language received and the choices.

    Examples
    --------
    >>> check_lang("es")
    'es'
    """
    if lang not in LANGUAGES:
        msg = f"`lang` was {lang!r} but is expected to be one of {list(LANGUAGES)}"
        raise ValueError(msg)
    return lang


#: How distances were measured, and the road-network messages of a run.
NETWORK_TEXT: dict[str, str] = {
    "straight_line": "straight-line",
    "bundled": "road network (INEGI RNC 2018, truck speeds)",
    "file": "road network ({name}, truck speeds)",
    "download": "road network (OpenStreetMap download: {area}, truck speeds)",
    "download_failed": (
        "cannot download the OpenStreetMap roads of {area} ([network] source = \"download\"): "
        "{error}; check the internet connection and the place name, or give a network file"
    ),
    "progress": "road network",
    "unreachable_all": "no candidate reaches a commercial crossing on the {network}",
    "user_credit": "Road network: {name} (user-supplied)",
    "unreachable": "unreachable by road: no commercial crossing reachable (site {km:.1f} km from the network)",
    "needs_network": (
        "[weights] {name} needs a road network but [network] source is {source!r}; "
        'set source = "bundled" or a network file, or use {alternative}'
    ),
}

#: :data:`NETWORK_TEXT` in both languages.
NETWORK_TEXT_BY_LANG: dict[str, dict[str, str]] = {
    "en": NETWORK_TEXT,
    "es": {
        "straight_line": "línea recta",
        "bundled": "red carretera (INEGI RNC 2018, velocidades de camión)",
        "file": "red carretera ({name}, velocidades de camión)",
        "download": "red carretera (descarga de OpenStreetMap: {area}, velocidades de camión)",
        "download_failed": (
            "no se pueden descargar las carreteras de OpenStreetMap de {area} "
            '([network] source = "download"): {error}; revise la conexión a internet y el nombre '
            "del lugar, o indique un archivo de red"
        ),
        "progress": "red carretera",
        "unreachable_all": "ningún candidato llega a un cruce comercial por la {network}",
        "user_credit": "Red carretera: {name} (proporcionada por el usuario)",
        "unreachable": (
            "sin acceso por carretera: ningún cruce comercial alcanzable (el sitio está a "
            "{km:.1f} km de la red)"
        ),
        "needs_network": (
            "[weights] {name} necesita una red carretera, pero [network] source es {source!r}; "
            'indique source = "bundled" o un archivo de red, o use {alternative}'
        ),
    },
}

#: Notes of a run (:attr:`siting.RunResult.notes`): how it measured, weighed and excluded.
NOTES: dict[str, str] = {
    "straight_line": (
        "Distances are straight-line (not road distances): the scenario sets [network] "
        'source = "straight-line".'
    ),
    "network": (
        "Times are heavy-truck drive times on the {network}; off-network legs at "
        "{access:g} km/h. Crossings: ports of entry with at least {min_trucks:,} trucks in 2024"
        "{waits}. Labour: people (labour force: economically active, state ENOE share) within "
        "{commute:g} min by road. Homicide rate by municipality; route risk: {indicator} of each "
        "state (state rates) weighted by time spent in it on the way to the crossing. Seaports: "
        "container ports (CGPMM){gateways}."
    ),
    "waits": ", plus the typical waits given ({source})",
    "gateways": ", and Los Angeles/Long Beach and Houston through a crossing (estimated US leg)",
    "rank_range": (
        "Rank range: ranks over {draws} random weight sets around the chosen weights "
        "(Dirichlet, concentration {conc:g}, seed {seed}); best/worst, 5th-95th percentile "
        "(Rank 90%) and share of draws in the top {k}; mean Kendall tau vs this ranking "
        "{tau:.2f}."
    ),
    "unreachable": "{n} candidates cannot reach a commercial crossing by road; they are not ranked.",
    "weights_ahp": "Weights from an AHP pairwise-comparison matrix (consistency ratio at most 0.10).",
    "weights_rank_sum": "Weights from an importance order (rank-sum weights).",
    "weights_roc": "Weights from an importance order (rank-order-centroid weights).",
    "weights_entropy": "Weights computed from the data (entropy: criteria that separate sites more weigh more).",
    "weights_critic": "Weights computed from the data (CRITIC: spread and conflict between criteria).",
    "aggregation_weighted_product": (
        "Scores: weighted product (a weak criterion pulls the whole score down); contributions "
        "are each criterion's share of the score in log terms."
    ),
    "aggregation_topsis": (
        "Scores: TOPSIS closeness to the ideal site x 100; contributions are each criterion's "
        "share of the distance from the worst site."
    ),
    "excluded": "{n} of {total} candidates excluded by constraints ({rules}); they are not ranked.",
    "outside": (
        "{n} candidate(s) outside Mexico (across the land border or at sea) are listed last, "
        'unranked: they were kept with outside="keep" but not measured or scored.'
    ),
}

#: :data:`NOTES` in both languages.
NOTES_BY_LANG: dict[str, dict[str, str]] = {
    "en": NOTES,
    "es": {
        "straight_line": (
            "Las distancias son en línea recta (no por carretera): el escenario indica [network] "
            'source = "straight-line".'
        ),
        "network": (
            "Los tiempos son de recorrido de camión pesado por la {network}; los tramos fuera de "
            "la red, a {access:g} km/h. Cruces: puertos fronterizos con al menos {min_trucks:,} "
            "camiones en 2024{waits}. Mano de obra: personas (fuerza laboral: población "
            "económicamente activa, proporción estatal de la ENOE) a no más de {commute:g} min "
            "por carretera. Tasa de homicidios por municipio; riesgo de ruta: {indicator} de los "
            "estados recorridos (tasas estatales), promedio ponderado por el tiempo en cada uno "
            "camino al cruce. Puertos marítimos: puertos de contenedores (CGPMM){gateways}."
        ),
        "waits": ", más los tiempos de espera típicos indicados ({source})",
        "gateways": (
            ", y Los Ángeles/Long Beach y Houston a través de un cruce (tramo en EUA estimado)"
        ),
        "rank_range": (
            "Rango de posiciones: posiciones en {draws} conjuntos aleatorios de pesos alrededor "
            "de los pesos elegidos (Dirichlet, concentración {conc:g}, semilla {seed}); mejor y "
            "peor, percentiles 5 a 95 (Posición 90%) y proporción de sorteos entre los primeros "
            "{k}; tau de Kendall media frente a esta clasificación: {tau:.2f}."
        ),
        "unreachable": (
            "{n} candidatos no pueden llegar por carretera a un cruce comercial; no se clasifican."
        ),
        "weights_ahp": (
            "Pesos de una matriz AHP de comparaciones por pares (razón de consistencia de 0.10 "
            "como máximo)."
        ),
        "weights_rank_sum": "Pesos de un orden de importancia (pesos de suma de rangos).",
        "weights_roc": "Pesos de un orden de importancia (pesos del centroide del orden, ROC).",
        "weights_entropy": (
            "Pesos calculados a partir de los datos (entropía: pesan más los criterios que más "
            "distinguen a los sitios)."
        ),
        "weights_critic": (
            "Pesos calculados a partir de los datos (CRITIC: dispersión y conflicto entre "
            "criterios)."
        ),
        "aggregation_weighted_product": (
            "Puntajes: producto ponderado (un criterio débil baja todo el puntaje); las "
            "contribuciones son la parte del puntaje de cada criterio en términos logarítmicos."
        ),
        "aggregation_topsis": (
            "Puntajes: cercanía TOPSIS al sitio ideal x 100; las contribuciones son la parte de "
            "cada criterio en la distancia al peor sitio."
        ),
        "excluded": (
            "{n} de {total} candidatos excluidos por restricciones ({rules}); no se clasifican."
        ),
        "outside": (
            "{n} candidato(s) fuera de México (del otro lado de la frontera terrestre o en el mar) "
            'aparecen al final, sin clasificar: se conservaron con outside="keep", pero no se '
            "midieron ni puntuaron."
        ),
    },
}

#: ``excluded_by`` texts of the ranking that are not constraint rules (unreachable sites: see
#: :data:`NETWORK_TEXT`).
EXCLUDED_BY: dict[str, str] = {
    "outside": "outside Mexico",
}

#: :data:`EXCLUDED_BY` in both languages.
EXCLUDED_BY_BY_LANG: dict[str, dict[str, str]] = {
    "en": EXCLUDED_BY,
    "es": {
        "outside": "fuera de México",
    },
}

CLI: dict[str, str] = {
    "description": "Rank candidate manufacturing sites in Mexico for nearshoring, from bundled public data.",
    "run_help": "score and rank candidate sites; write ranking, GeoJSON, maps and a run record",
    "scenario_help": "scenario TOML file (default: the bundled default scenario)",
    "candidates_help": (
        "CSV with name,lon,lat columns or GeoJSON of points with a 'name' property; "
        "replaces the scenario's candidates"
    ),
    "out_help": "output folder (default: the scenario's [output] folder)",
    "online_map_help": "load Leaflet from CDNs instead of inlining it (smaller map.html, needs internet)",
    "quiet_help": "print only errors",
    "lang_help": (
        "language map.html opens in: es (Spanish) or en (English, default); the page can switch"
    ),
    "error": "siting: error: {message}",
    "scoring": "Scoring {n} candidates with scenario {scenario!r} ...",
    "writing": "Writing {name} ...",
    "top": "Top {n} of {total} candidates ({method}):",
    "top_metros": "Top {n} of {total} metro areas, each with its best site ({method}):",
    "best_outside": "Best site outside any metro area: {name} (rank {rank:.0f}).",
    "sites_hint": "Every site is ranked in ranking.csv; siting run --sites prints the top 10 sites.",
    "sites_help": "print the top 10 sites instead of the top 10 metro areas",
    "wrote": "Wrote {files} to {folder} in {seconds:.1f} s.",
    "interrupted": "siting: interrupted; no outputs were changed",
    "terminated": "siting: terminated (SIGTERM); no outputs were changed",
    "warning": "siting: warning: {message}",
    "note": "siting: note: {message}",
    "no_maps_help": (
        "write ranking.csv, sites.geojson and run.json only, no maps: for more candidates than "
        "the maps take (see docs/robustness.md, Limits)"
    ),
    "force_help": (
        "replace files in the output folder that siting did not write (or that were changed "
        "since); inputs are never replaced"
    ),
    "outside_help": (
        "sites outside Mexico (across the border or at sea): refuse the file (default) or keep "
        "them, marked outside_mexico, with no score"
    ),
    "sensitivity_help": (
        "Monte Carlo over the weights: rank ranges per site and ranking stability; "
        "writes sensitivity.csv, sensitivity.png and sensitivity.json"
    ),
    "compare_help": (
        "side-by-side raw values, 0-1 values, points, rank and rank range of named sites; "
        "writes compare.csv and compare.json (run record)"
    ),
    "names_help": "candidate names (quote names with spaces)",
    "compare_scenario_help": "scenario TOML file (default: the bundled default scenario)",
    "draws_help": "number of weight draws (default: the scenario's [sensitivity] draws)",
    "compare_draws_help": "number of weight draws for the rank range (default: 200)",
    "seed_help": "random seed (default: the scenario's [sensitivity] seed)",
    "sensitivity_running": "Drawing {draws} weight vectors around the scenario's weights ({method}) ...",
    "sensitivity_summary": (
        "Ranking stability over {draws} draws: mean Kendall tau {tau:.3f} (min {tau_min:.3f}), "
        "mean weighted Spearman {rw:.3f}; {leader!r} stays first in {lead:.0%} of draws; "
        "on average {kept:.1f} of the top {k} stay in the top {k}."
    ),
    "sensitivity_top": "Rank ranges of the top {n} sites:",
    "excluded_count": "{n} of {total} candidates excluded (not ranked; see excluded_by in ranking.csv).",
    "network_cached": "Road network: reused cached routing structures ({nodes:,} nodes) from {path}.",
    "network_built": (
        "Road network: built routing structures ({nodes:,} nodes) in {seconds:.1f} s; "
        "cached to {path} for the next run."
    ),
    "network_none": "Road network: none (straight-line distances).",
    "waits_help": (
        "fetch the current US CBP border wait times (commercial trucks) into a waits CSV that a "
        "scenario's [crossing_waits] file = ... can use; needs internet"
    ),
    "waits_out_help": "CSV to write (default: waits.csv)",
    "waits_max_age_help": "reuse a cached snapshot younger than this many minutes (default: 15)",
    "waits_snapshot": "{label}. Minutes of wait for commercial trucks, standard and FAST lanes:",
    "waits_unmatched": "Not a land port of siting's crossing data (ignored by runs): {codes}.",
    "waits_wrote": (
        "Wrote {path}. This is a snapshot of one moment, not a typical wait; to use it add to "
        'your scenario: [crossing_waits] file = "{name}".'
    ),
}

#: Help of ``siting atlas`` (English, like every command's help: shown before a language is chosen).
ATLAS_HELP: dict[str, str] = {
    "help": (
        "print atlas for state agencies: one map per state from the national run, a multi-page "
        "atlas PDF with a cover, ranking.xlsx/ranking.csv/sites.gpkg and a run record"
    ),
    "state": (
        "states to map, by INEGI code (19), name ('Nuevo León', accents optional) or "
        "abbreviation (NL); several may follow one --state (put SCENARIO before it)"
    ),
    "all_states": "map all 32 states (the default when no --state is given)",
    "lang": "language of the maps and tables: es (Spanish, default) or en (English)",
    "page": "paper size (default: letter)",
    "orientation": "page orientation (default: landscape)",
    "format": "file format of each state's map (default: pdf; atlas.pdf is always PDF)",
    "dpi": "resolution of PNG maps and of images in PDF/SVG (default: 300)",
    "title": "title of every map (default: a title naming the state)",
    "author": "who prepared the maps, printed as 'Elaboró / Prepared by' (default: a blank line)",
    "out": "output folder (default: the scenario's [output] folder, subfolder atlas)",
    "scenario_after_state": (
        "{value!r} looks like a scenario file, not a state: put SCENARIO before --state "
        "(siting atlas scenario.toml --state NL)"
    ),
}

#: Messages of ``siting atlas`` in the atlas's language (``--lang``).
ATLAS_CLI: dict[str, str] = {
    "scoring": "Scoring {n} candidates nationally with scenario {scenario!r} ...",
    "states": "Mapping {n} state(s): {names}.",
    "writing": "Writing {name} ...",
    "best": "Best site of each state (national score and rank):",
    "best_row": "  {state}: {site} — {score} (#{rank} national)",
    "no_site": "  {state}: no ranked site",
    "wrote": "Wrote {n} files to {folder} in {seconds} s (run {run_id}).",
    "network_cached": CLI["network_cached"],
    "network_built": CLI["network_built"],
    "network_none": CLI["network_none"],
}
ATLAS_CLI_BY_LANG: dict[str, dict[str, str]] = {
    "en": ATLAS_CLI,
    "es": {
        "scoring": (
            "Calificando {n} sitios candidatos a nivel nacional con el escenario {scenario!r} ..."
        ),
        "states": "Mapas de {n} estado(s): {names}.",
        "writing": "Escribiendo {name} ...",
        "best": "Mejor sitio de cada estado (puntaje y lugar nacionales):",
        "best_row": "  {state}: {site} — {score} (lugar {rank} nacional)",
        "no_site": "  {state}: ningún sitio calificado",
        "wrote": "Se escribieron {n} archivos en {folder} en {seconds} s (corrida {run_id}).",
        "network_cached": (
            "Red de carreteras: estructuras de ruteo reutilizadas de la caché ({nodes:,} nodos), "
            "{path}."
        ),
        "network_built": (
            "Red de carreteras: estructuras de ruteo construidas ({nodes:,} nodos) en "
            "{seconds:.1f} s; guardadas en {path} para la próxima corrida."
        ),
        "network_none": "Red de carreteras: ninguna (distancias en línea recta).",
    },
}

#: Column headings of the top-10 table printed by ``siting run``.
TABLE_HEADINGS: dict[str, str] = {
    "rank": "Rank",
    "name": "Site",
    "state": "State",
    "score": "Score",
    "nearest_crossing": "Nearest crossing",
    "crossing_km": "km",
    "crossing_drive_min": "Truck h:mm",
    "labor_force": "Labour force",
    "rank_range": "Rank 90%",
}

#: Column headings of the top-10 metro table printed by ``siting run``.
METRO_HEADINGS: dict[str, str] = {
    "metro_rank": "Metro rank",
    "metro": "Metro area",
    "state": "State",
    "name": "Best site",
    "site_rank": "Site rank",
    "score": "Score",
    "nearest_crossing": "Crossing",
    "crossing_drive_min": "Truck h:mm",
    "sites": "Sites",
}

#: Text of the sensitivity chart (``sensitivity.png``).
CHART: dict[str, str] = {
    "title": (
        "Rank ranges of the top {n} sites: {draws} weight draws\n"
        "({method}, concentration {conc:g}, seed {seed})"
    ),
    "xlabel": "Rank (1 = best)",
    "median": "median rank",
    "base": "rank with the chosen weights",
    "footer": "Line: best-worst rank; bar: 5th-95th percentile. Mean Kendall tau {tau:.3f}, "
    "mean weighted Spearman {rw:.3f} vs the base ranking.",
}

#: Row labels of ``siting compare`` (``{label}`` and ``{unit}`` come from the criterion).
COMPARE: dict[str, str] = {
    "rank": "Rank",
    "score": "Score (0-100)",
    "excluded_by": "Excluded by",
    "rank_best": "Best rank over weight draws",
    "rank_median": "Median rank over weight draws",
    "rank_worst": "Worst rank over weight draws",
    "top_k_share": "Share of draws in the top {k}",
    "raw": "{label} ({unit})",
    "norm": "  value 0-1",
    "contrib": "  points (weight {weight:.3f})",
    "unknown": "no candidate named {name!r}; close matches: {matches}",
    "unknown_none": "no candidate named {name!r} and no close match; names look like {examples}",
}

#: Column labels of the agency tables (``ranking.xlsx``, ``ranking.csv`` of ``siting atlas``),
#: by machine key (:func:`siting.tables.agency_table`); units in the labels.
AGENCY_COLUMNS: dict[str, str] = {
    "rank": "National rank",
    "state_rank": "State rank",
    "name": "Site",
    "municipality": "Municipality",
    "state": "State",
    "metro": "Metro area",
    "score": "Score (0–100)",
    "nearest_crossing": "Border crossing",
    "crossing_drive_min": "Truck time to crossing (min)",
    "crossing_km": "Distance to crossing (km)",
    "labor_pool": "Population within commute (people)",
    "labor_force": "Labour force within commute (people)",
    "homicide_rate": "Homicide rate, municipality (per 100,000)",
    "cargo_theft_rate": "Cargo-theft rate, state (per 100,000)",
    "nearest_seaport": "Container port",
    "seaport_drive_min": "Truck time to port (min)",
    "excluded_by": "Excluded by",
    "lon": "Longitude (°)",
    "lat": "Latitude (°)",
}

#: :data:`AGENCY_COLUMNS` in both languages.
AGENCY_COLUMNS_BY_LANG: dict[str, dict[str, str]] = {
    "en": AGENCY_COLUMNS,
    "es": {
        "rank": "Lugar nacional",
        "state_rank": "Lugar en el estado",
        "name": "Sitio",
        "municipality": "Municipio",
        "state": "Estado",
        "metro": "Zona metropolitana",
        "score": "Puntaje (0–100)",
        "nearest_crossing": "Cruce fronterizo",
        "crossing_drive_min": "Tiempo en camión al cruce (min)",
        "crossing_km": "Distancia al cruce (km)",
        "labor_pool": "Población a distancia de traslado (personas)",
        "labor_force": "Población económicamente activa a distancia de traslado (personas)",
        "homicide_rate": "Tasa de homicidios del municipio (por 100,000 hab.)",
        "cargo_theft_rate": "Tasa estatal de robo a transportista (por 100,000 hab.)",
        "nearest_seaport": "Puerto de contenedores",
        "seaport_drive_min": "Tiempo en camión al puerto (min)",
        "excluded_by": "Excluido por",
        "lon": "Longitud (°)",
        "lat": "Latitud (°)",
    },
}

#: Sheet names and the "About" sheet of ``ranking.xlsx`` (:func:`siting.tables.write_ranking_xlsx`).
AGENCY_TEXT: dict[str, str] = {
    "about_sheet": "About",
    "outside_sheet": "Outside Mexico",
    "title": "Candidate manufacturing sites: national ranking by state",
    "scenario": "Scenario",
    "method": "Aggregation",
    "method_weighted_sum": "weighted sum",
    "method_weighted_product": "weighted product",
    "method_topsis": "TOPSIS (closeness to the ideal site)",
    "network": "Distances",
    "run_id": "Run id (run.json)",
    "date": "Date",
    "version": "siting version",
    "author": "Prepared by",
    "states": "States",
    "sites": "Sites",
    "sites_value": "{n} of the {total} candidate sites of the national run",
    "reading": "How to read",
    "sheets": (
        "One sheet per state lists its candidate sites by national rank. Scores are the national "
        "run's (0–100) and are never rescaled within a state; the state rank is the site's place "
        "among the ranked sites of its state."
    ),
    "empty": (
        "An empty cell has no value: no rank for a site that is not ranked (see “{excluded_by}”), "
        "no time or distance for a place not reachable by road."
    ),
    "criteria": "Criteria and weights",
    "criterion": "Criterion",
    "weight": "Weight",
    "direction": "Direction",
    "benefit": "more is better",
    "cost": "less is better",
    "notes": "Notes",
    "sources": "Data sources",
    "source": "Source",
    "publisher": "Publisher",
    "source_date": "Data date",
    "licence": "Licence",
}

#: :data:`AGENCY_TEXT` in both languages.
AGENCY_TEXT_BY_LANG: dict[str, dict[str, str]] = {
    "en": AGENCY_TEXT,
    "es": {
        "about_sheet": "Acerca de",
        "outside_sheet": "Fuera de México",
        "title": "Sitios candidatos para manufactura: clasificación nacional por estado",
        "scenario": "Escenario",
        "method": "Agregación",
        "method_weighted_sum": "suma ponderada",
        "method_weighted_product": "producto ponderado",
        "method_topsis": "TOPSIS (cercanía al sitio ideal)",
        "network": "Distancias",
        "run_id": "Identificador de la corrida (run.json)",
        "date": "Fecha",
        "version": "Versión de siting",
        "author": "Elaboró",
        "states": "Estados",
        "sites": "Sitios",
        "sites_value": "{n} de los {total} sitios candidatos de la corrida nacional",
        "reading": "Cómo leer",
        "sheets": (
            "Cada hoja lista los sitios candidatos de un estado por su lugar nacional. Los "
            "puntajes son los de la corrida nacional (0–100) y nunca se reescalan dentro de un "
            "estado; el lugar en el estado es la posición del sitio entre los sitios clasificados "
            "de su estado."
        ),
        "empty": (
            "Una celda vacía no tiene valor: sin lugar para un sitio no clasificado (vea "
            "“{excluded_by}”), sin tiempo ni distancia para un lugar sin acceso por carretera."
        ),
        "criteria": "Criterios y pesos",
        "criterion": "Criterio",
        "weight": "Peso",
        "direction": "Sentido",
        "benefit": "más es mejor",
        "cost": "menos es mejor",
        "notes": "Notas",
        "sources": "Fuentes de datos",
        "source": "Fuente",
        "publisher": "Editor",
        "source_date": "Fecha de los datos",
        "licence": "Licencia",
    },
}
