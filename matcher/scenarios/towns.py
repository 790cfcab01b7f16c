"""Real Dutch towns (approximate centres) for scenarios that span more than one organisation.

A welfare organisation works in one town. A scenario with `clients_per_organisation` grows its
region outward: the first organisation is the region itself, the others are the towns below
nearest its centre (a circle whose area grows with their number), each with compass-point
districts. The box is where placeholder villages go once the list runs out.
"""

from __future__ import annotations

from typing import Final

# Compass names and (north, east) offsets of a town's districts, centre first.
COMPASS: Final = (
    ("Centrum", 0.0, 0.0),
    ("Noord", 1.0, 0.0),
    ("Zuid", -1.0, 0.0),
    ("Oost", 0.0, 1.0),
    ("West", 0.0, -1.0),
    ("Noordoost", 0.7, 0.7),
    ("Zuidwest", -0.7, -0.7),
    ("Noordwest", 0.7, -0.7),
    ("Zuidoost", -0.7, 0.7),
)

# Inside the box lat 51.3–53.3, lon 4.0–7.0.
TOWNS: Final = (
    ("zwolle", 52.512, 6.094), ("kampen", 52.555, 5.911), ("hattem", 52.475, 6.063),
    ("dalfsen", 52.505, 6.257), ("meppel", 52.696, 6.194), ("raalte", 52.386, 6.275),
    ("heerde", 52.387, 6.041), ("steenwijk", 52.787, 6.119), ("ommen", 52.521, 6.421),
    ("deventer", 52.255, 6.163), ("apeldoorn", 52.211, 5.969), ("hoogeveen", 52.723, 6.476),
    ("dronten", 52.525, 5.718), ("harderwijk", 52.342, 5.621), ("emmeloord", 52.711, 5.749),
    ("hardenberg", 52.575, 6.619), ("rijssen", 52.306, 6.519), ("almelo", 52.357, 6.662),
    ("assen", 52.993, 6.562), ("lelystad", 52.518, 5.471), ("ede", 52.040, 5.665),
    ("hengelo", 52.266, 6.793), ("zutphen", 52.138, 6.201), ("heerenveen", 52.960, 5.920),
    ("doetinchem", 51.965, 6.289), ("arnhem", 51.985, 5.899), ("enschede", 52.222, 6.893),
    ("amersfoort", 52.156, 5.388), ("emmen", 52.779, 6.906), ("drachten", 53.105, 6.099),
    ("almere", 52.371, 5.222), ("wageningen", 51.969, 5.665), ("nijmegen", 51.842, 5.853),
    ("sneek", 53.033, 5.658), ("groningen", 53.219, 6.567), ("hilversum", 52.223, 5.176),
    ("utrecht", 52.091, 5.122), ("leeuwarden", 53.201, 5.799), ("winterswijk", 51.972, 6.720),
    ("veenendaal", 52.028, 5.559), ("tiel", 51.887, 5.430), ("culemborg", 51.955, 5.227),
    ("zeist", 52.090, 5.233), ("stadskanaal", 52.989, 6.950), ("veendam", 53.107, 6.879),
    ("amsterdam", 52.370, 4.895), ("den-helder", 52.956, 4.760), ("alkmaar", 52.632, 4.748),
    ("hoorn", 52.643, 5.060), ("zaandam", 52.439, 4.826), ("haarlem", 52.381, 4.637),
    ("leiden", 52.160, 4.497), ("den-haag", 52.070, 4.300), ("delft", 52.012, 4.357),
    ("rotterdam", 51.924, 4.478), ("gouda", 52.012, 4.711), ("dordrecht", 51.813, 4.690),
    ("den-bosch", 51.697, 5.304), ("oss", 51.765, 5.518), ("eindhoven", 51.441, 5.470),
    ("tilburg", 51.556, 5.091), ("breda", 51.589, 4.776), ("roosendaal", 51.531, 4.456),
    ("bergen-op-zoom", 51.495, 4.288), ("helmond", 51.481, 5.661), ("venlo", 51.370, 6.172),
    ("boxmeer", 51.647, 5.947), ("uden", 51.660, 5.617), ("veghel", 51.616, 5.549),
    ("gorinchem", 51.835, 4.974), ("zoetermeer", 52.057, 4.493), ("alphen", 52.129, 4.656),
    ("amstelveen", 52.303, 4.862), ("purmerend", 52.505, 4.959), ("heerhugowaard", 52.669, 4.833),
    ("schagen", 52.787, 4.799), ("enkhuizen", 52.703, 5.291), ("harlingen", 53.175, 5.423),
    ("franeker", 53.187, 5.542), ("coevorden", 52.661, 6.741), ("lochem", 52.160, 6.415),
    ("nijverdal", 52.362, 6.463), ("oldenzaal", 52.313, 6.929), ("barneveld", 52.140, 5.585),
    ("nijkerk", 52.220, 5.487), ("elburg", 52.447, 5.834), ("epe", 52.347, 5.983),
    ("putten", 52.259, 5.607), ("woerden", 52.086, 4.883), ("nieuwegein", 52.029, 5.081),
    ("houten", 52.028, 5.168), ("vlaardingen", 51.912, 4.342), ("spijkenisse", 51.845, 4.329),
    ("hellevoetsluis", 51.832, 4.133), ("middelharnis", 51.757, 4.165),
    ("waalwijk", 51.683, 5.070), ("oosterhout", 51.645, 4.860), ("etten-leur", 51.571, 4.637),
    ("hoofddorp", 52.303, 4.690), ("katwijk", 52.201, 4.418), ("noordwijk", 52.239, 4.447),
    ("beverwijk", 52.487, 4.657), ("hoogezand", 53.161, 6.761), ("beilen", 52.862, 6.512),
    ("wolvega", 52.876, 5.997), ("joure", 52.967, 5.794), ("urk", 52.662, 5.601),
    ("zevenaar", 51.929, 6.071), ("rhenen", 51.959, 5.568), ("zaltbommel", 51.811, 5.250),
    ("cuijk", 51.728, 5.879), ("boxtel", 51.591, 5.329), ("veldhoven", 51.418, 5.403),
    ("deurne", 51.464, 5.796), ("geldrop", 51.421, 5.557),
)  # fmt: skip
NL_BOX: Final = ((51.3, 53.3), (4.0, 7.0))
