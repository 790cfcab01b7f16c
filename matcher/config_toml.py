"""The default configuration as a commented TOML file: what `matcher config` prints.

A test keeps it equal to MatchConfig's defaults, key for key.
"""

from __future__ import annotations

from matcher.lifecycle import LIFECYCLE_TOML

DEFAULT_TOML = (
    """\
# matcher configuration. Every key is optional; these are the defaults.
# Use it with: matcher match clients.csv volunteers.csv --config matcher.toml
# Every number must be finite and in the range given beside it ("0-100": 0 to 100).

# How proposals are chosen: optimal (the largest total weight, the default),
# coverage-first, priority-first, balanced, reserve, greedy, fifo-greedy, stable.
policy = "optimal"

[rules]
# Hard rules: a pair that breaks a rule switched on here is never proposed.
programme = true               # no-programme: the volunteer serves the client's programme
capacity = true                # no-capacity: capacity - active_clients >= 1
                               #   (off: a full volunteer may take one more, for a what-if)
distance = true                # too-far: within max_travel_km, unless both accept phone
shared_time = true             # no-shared-time: at least one shared availability slot
language = true                # no-shared-language: at least one shared language
gender_preference = true       # gender-preference: the client's preferred gender
excluded = true                # excluded: not in the client's excluded_volunteers
training_for_high_risk = true  # training-required: high risk only with grief/advanced

[weights]
# Relative weights of the soft criteria (0-100 each, not all 0); each scores a pair in [0, 1].
lived_experience = 3.0  # 1 same loss, 0.5 another loss, 0 none
closeness = 2.0         # 1 - km / max_travel_km; 0 for phone-only pairs
availability = 1.0      # shared slots, 3 or more count as 1
needs = 1.5             # share of the client's needs the volunteer's skills cover
age = 0.5               # 1 - |age difference| / 40; 0.5 when an age is missing
training = 1.0          # training depth for the client's risk tier

[priority]
# weight = match_value + tier_bonus + waiting_bonus * min(weeks, cap) / cap + fit
match_value = 2.0        # > 1 and <= 100, so one more client matched beats a better fit
waiting_bonus = 0.5      # 0-10
waiting_cap_weeks = 26.0 # > 0 and <= 520

[priority.tier_bonus]
# 0-10 each
low = 0.0
moderate = 0.5
high = 1.0

[triage]
# risk score = sum of hindering weights - sum of protective weights
moderate_from = 1.5  # score >= 1.5 is moderate risk; -100 to 100
high_from = 4.0      # score >= 4 is high risk; above moderate_from, at most 100

[triage.hindering]
# 0-10 each
physical_health = 1.0
social_contact_difficulty = 1.0
little_social_support = 1.5
sudden_death = 1.5
caregiver_burden = 1.0
anxiety_or_depression = 2.0
financial_worries = 1.0
young_children = 1.0
living_alone = 0.5
low_education = 0.5

[triage.protective]
# 0-10 each
strong_network = 1.0
employed = 0.5
good_health = 0.5
meaning_and_faith = 0.5
coped_with_earlier_loss = 1.0

[balanced]
# Policy "balanced": weight points a volunteer's k-th client costs per client carried.
load_penalty = 0.1  # 0-1

[reserve]
# Policy "reserve": samples the coming weeks' arrivals (resampled from today's clients)
# and holds a scarce place back when its LP dual price exceeds a pair's weight.
# weekly_arrivals = 2.5    # 0-1000; not set: clients who began waiting in the last 4 weeks / 4
weeks_ahead = 4            # 1-52
samples = 5                # 1-100
weekly_discount = 0.97     # > 0 and <= 1: a match a week later is worth 97 % of one now
seed = 0                   # 0 to 4294967295 (2^32 - 1)

[report]
# The HTML report of --report: its language, nl or en (--lang overrides it).
lang = "nl"
# A --pseudonymise report leaves out or coarsens any group of fewer than this many clients
# (recruit suggestions, waiting groups, counts, map places): 1 to 100.
min_group_size = 5

[geo]
# Where people live when a row has no lat/lon: its postcode, then its district, then its
# place (woonplaats, from the Dutch places matcher ships). A CSV with columns postcode, lat,
# lon (PC4 or PC6 centres; path relative to this file); README "Where people live".
# postcodes = "pc4.csv"

[geo.districts]
# "Centrum" = { lat = 52.512, lon = 6.094 }

[geo.places]
# Places matcher does not ship (about 200 Dutch towns), e.g.:
# "Wijhe" = { lat = 52.387, lon = 6.134 }

"""
    + LIFECYCLE_TOML
    + """
[columns]
# A workbook's sheet to read (not set: the first one); --sheet NAME sets both.
# clients_sheet = "Cliënten"
# volunteers_sheet = "Vrijwilligers"

[columns.clients]
# Your export's header = our column, e.g.:
# "Cliëntnummer" = "client_id"
# (Dutch names such as Cliëntnummer, Leeftijd, Geslacht and Wijk are known already.)

[columns.volunteers]
# "Vrijwilliger" = "volunteer_id"

[values]
# Cell values in your own words, per column (Dutch words such as vrouw, kind,
# ma-ochtend and telefonisch are known already), e.g.:
# [values.loss_type]
# "Partner overleden" = "partner"
"""
)
