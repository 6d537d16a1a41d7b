"""The composition of the site, not a room.

The rooms are the working group (``wgec``), the questionnaire and the issue list (``issues``),
the mechanisms and the map (``mechanisms``), how the correspondence group reaches agreement
(``consensus``) and the deliverables (``reports``); each imports only the rooms below it. This
package sits above them all and assembles them: the root URLs (``urls``), the pages that gather
every room (the home page and each person's account page, ``views``), what every page shows
(``context_processors``), and the demo data of the 2013-14 exercise with the local logins of a
development checkout (``demo``, ``local_logins``, the commands ``load_demo`` and
``create_local_logins``). No room imports it.
"""
