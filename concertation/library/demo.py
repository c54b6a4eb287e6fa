"""The library part of `flask seed-demo`: AI tools in service in the demonstration territories, some
abandoned with their reason, and the retours of the territories that use them too."""

from datetime import date, datetime
from typing import Any

from concertation.library import services
from concertation.library.services import EntryData, RetourData

# territory slug, author email, the entry's fields
ENTRIES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "saint-aubin-des-pres",
        "accueil@saint-aubin-des-pres.example",
        dict(
            title="Chatbot d’accueil de la mairie",
            metier="accueil",
            service="Accueil et état civil",
            audience="usagers",
            status="deploye",
            started_on=date(2025, 1, 6),
            deployed_on=date(2025, 6, 2),
            need="Les questions les plus fréquentes (horaires, pièces à fournir, inscriptions) saturent le "
            "téléphone de l’accueil, surtout le lundi matin.",
            description="Un assistant conversationnel sur le site de la mairie répond aux questions pratiques à "
            "partir des pages du site et des fiches de Service-Public.fr. Il cite toujours sa source et "
            "propose, à chaque réponse, de **parler à un agent** (téléphone, rendez-vous ou formulaire).",
            data_used="Les pages publiques du site de la commune et les fiches de Service-Public.fr. Les "
            "conversations ne sont pas conservées au-delà de 30 jours, sans compte ni identification.",
            personal_data=False,
            hosting="public",
            host_name="Syndicat mixte numérique du département",
            open_source=True,
            vendor="Modèle de langue libre, interface développée par le syndicat",
            cost_band="lt_5k",
            human_oversight="L’équipe d’accueil relit chaque semaine les questions sans réponse et met à jour "
            "les pages du site. L’assistant ne prend aucune décision : il informe et oriente.",
            human_reachable=True,
            frugality="Un petit modèle, sans carte graphique dédiée ; les réponses aux questions les plus "
            "fréquentes sont mises en cache.",
            training="Une demi-journée pour les cinq agents de l’accueil, puis un point mensuel.",
            results="Un tiers d’appels en moins le lundi ; 12 % des conversations se terminent par une demande "
            "de rendez-vous avec un agent.",
            contact="accueil@saint-aubin-des-pres.example",
        ),
    ),
    (
        "saint-aubin-des-pres",
        "organisation@saint-aubin-des-pres.example",
        dict(
            title="Transcription des conseils municipaux",
            metier="assemblees",
            service="Secrétariat général",
            audience="both",
            status="deploye",
            started_on=date(2024, 9, 1),
            deployed_on=date(2025, 1, 20),
            need="Publier plus vite le compte rendu des séances publiques du conseil, et rendre les débats "
            "accessibles aux personnes sourdes ou malentendantes.",
            description="L’enregistrement de la séance est transcrit automatiquement ; le secrétariat corrige "
            "le texte, qui est publié avec la vidéo sous-titrée.",
            data_used="Les enregistrements audio des séances publiques du conseil municipal.",
            personal_data=True,
            dpia_done=True,
            hosting="internal",
            host_name="Serveur de la mairie",
            open_source=True,
            vendor="Whisper (modèle libre de reconnaissance vocale)",
            cost_band="none",
            human_oversight="Le secrétariat général relit et corrige toute la transcription avant publication ; "
            "rien n’est publié sans cette relecture.",
            human_reachable=True,
            frugality="La transcription tourne la nuit, sur un serveur existant, une fois par séance.",
            training="Deux agents du secrétariat formés à la relecture et aux limites de l’outil (noms propres).",
            results="Compte rendu publié en 3 jours au lieu de 3 semaines.",
            contact="secretariat@saint-aubin-des-pres.example",
        ),
    ),
    (
        "trois-rivieres",
        "numerique@agglo-trois-rivieres.example",
        dict(
            title="Assistant de rédaction pour les agents",
            metier="numerique",
            service="Direction du numérique",
            audience="agents",
            status="deploye",
            started_on=date(2024, 11, 4),
            deployed_on=date(2025, 4, 1),
            need="Les agents passent beaucoup de temps sur les premiers jets de courriers, de notes et de "
            "comptes rendus ; beaucoup utilisaient des outils grand public, sans garantie sur les données.",
            description="Un assistant de rédaction hébergé par l’agglomération propose un premier jet, reformule "
            "ou résume ; l’agent relit, corrige et signe.",
            data_used="Ce que l’agent colle dans l’outil. Consigne : aucune donnée personnelle d’usager.",
            personal_data=False,
            hosting="internal",
            host_name="Centre de données de l’agglomération",
            open_source=True,
            vendor="Modèle de langue libre",
            cost_band="20k_100k",
            human_oversight="L’agent reste l’auteur : l’outil n’envoie rien, ne signe rien et ne décide de rien.",
            human_reachable=True,
            frugality="Un seul modèle mutualisé pour les services ; mesure de la consommation publiée chaque "
            "trimestre.",
            training="Une journée obligatoire avant l’accès : ce que fait et ne fait pas l’outil, les erreurs "
            "typiques, les données à ne jamais y mettre.",
            results="350 agents formés ; usage quotidien par environ un tiers d’entre eux.",
            contact="numerique@agglo-trois-rivieres.example",
        ),
    ),
    (
        "trois-rivieres",
        "numerique@agglo-trois-rivieres.example",
        dict(
            title="Détection des fuites d’eau sur le réseau",
            metier="eau",
            service="Régie des eaux",
            audience="agents",
            status="deploye",
            started_on=date(2023, 3, 1),
            deployed_on=date(2024, 2, 1),
            need="Un litre sur cinq se perd dans les fuites du réseau d’eau potable ; les équipes les "
            "cherchaient au hasard des plaintes.",
            description="Des capteurs acoustiques sur les conduites ; un modèle signale les bruits qui "
            "ressemblent à une fuite et propose un ordre d’intervention.",
            data_used="Les mesures des capteurs et des compteurs de sectorisation. Aucune donnée d’abonné.",
            personal_data=False,
            hosting="france",
            host_name="Prestataire en France",
            open_source=False,
            vendor="Éditeur spécialisé des réseaux d’eau",
            cost_band="20k_100k",
            human_oversight="Les fontainiers vérifient chaque alerte sur le terrain avant de creuser.",
            human_reachable=True,
            frugality="Capteurs sur batterie pour dix ans ; calculs une fois par nuit.",
            training="Les équipes de la régie formées par l’éditeur, puis par les premiers utilisateurs.",
            results="Pertes réduites de 18 % en un an.",
            contact="regie-eau@agglo-trois-rivieres.example",
        ),
    ),
    (
        "trois-rivieres",
        "rh@agglo-trois-rivieres.example",
        dict(
            title="Pré-tri des demandes d’aide sociale",
            metier="social",
            service="Centre intercommunal d’action sociale",
            audience="agents",
            status="abandonne",
            started_on=date(2024, 1, 15),
            ended_on=date(2024, 7, 1),
            abandon_reason="Le modèle classait moins bien les demandes des personnes qui écrivent peu ou mal, "
            "et les agents ne pouvaient pas expliquer ses choix aux usagers. Nous avons préféré renforcer "
            "l’accueil.",
            need="Réduire le délai de réponse aux demandes d’aide d’urgence.",
            description="Un classement automatique des demandes par urgence supposée.",
            data_used="Le texte des demandes et les pièces jointes.",
            personal_data=True,
            dpia_done=True,
            hosting="france",
            open_source=False,
            vendor="Éditeur de logiciels sociaux",
            cost_band="5k_20k",
            human_oversight="Les travailleurs sociaux revoyaient le classement, mais en pratique le suivaient.",
            human_reachable=True,
            results="Expérimentation arrêtée après six mois : voir la raison.",
            contact="ccas@agglo-trois-rivieres.example",
        ),
    ),
    (
        "haute-vallee",
        "dsi@haute-vallee.example",
        dict(
            title="Tri et orientation des courriers entrants",
            metier="courrier",
            service="Bureau du courrier",
            audience="agents",
            status="experimentation",
            started_on=date(2025, 9, 1),
            need="Le bureau du courrier reçoit 800 courriers et courriels par jour, à orienter vers le bon service.",
            description="Un modèle lit l’objet et le début de chaque courrier numérisé et propose un service "
            "destinataire ; l’agent valide ou corrige d’un clic.",
            data_used="Les courriers numérisés, qui contiennent des noms, adresses et situations personnelles.",
            personal_data=True,
            dpia_done=True,
            hosting="eu",
            host_name="Hébergeur certifié SecNumCloud",
            open_source=False,
            vendor="Éditeur de gestion électronique du courrier",
            cost_band="20k_100k",
            human_oversight="Chaque orientation est validée par un agent du bureau du courrier.",
            human_reachable=True,
            training="Les six agents du bureau, deux demi-journées.",
            results="Orientation juste dans 9 cas sur 10 ; le temps gagné va aux courriers difficiles.",
            contact="courrier@haute-vallee.example",
        ),
    ),
    (
        "haute-vallee",
        "dsi@haute-vallee.example",
        dict(
            title="Traduction des démarches pour les usagers",
            metier="social",
            service="Maisons départementales des solidarités",
            audience="usagers",
            status="idee",
            need="Des usagers qui ne lisent pas le français renoncent à leurs droits faute de comprendre les "
            "courriers et les formulaires.",
            description="Traduire les fiches pratiques et aider les agents d’accueil à échanger dans une dizaine "
            "de langues.",
            data_used="Les fiches pratiques publiques ; à l’accueil, ce que dit l’usager, sans enregistrement.",
            personal_data=False,
            hosting="unknown",
            open_source=True,
            cost_band="unknown",
            human_oversight="Un interprète reste disponible sur rendez-vous pour les démarches importantes.",
            human_reachable=True,
            contact="solidarites@haute-vallee.example",
        ),
    ),
]

# More tools, so that the library reads like a real one: a dozen entries, two of them abandoned.
ENTRIES += [
    (
        "saint-aubin-des-pres",
        "organisation@saint-aubin-des-pres.example",
        dict(
            title="Aide à l’instruction des permis de construire",
            metier="urbanisme",
            service="Service urbanisme",
            audience="agents",
            status="abandonne",
            started_on=date(2024, 3, 4),
            ended_on=date(2024, 11, 15),
            abandon_reason="L’éditeur ne garantissait ni l’hébergement des dossiers dans l’Union européenne ni la "
            "possibilité de relire le raisonnement de l’outil. Le conseil a préféré renforcer le service "
            "instructeur mutualisé avec la communauté de communes.",
            need="Les demandes de permis s’accumulent et les délais d’instruction dépassent parfois deux mois.",
            description="Un logiciel proposait une première analyse de conformité au plan local d’urbanisme.",
            data_used="Les dossiers de demande, avec les noms et adresses des demandeurs.",
            personal_data=True,
            hosting="outside_eu",
            open_source=False,
            vendor="Éditeur privé de logiciels d’urbanisme",
            cost_band="5k_20k",
            human_oversight="L’instructeur gardait la décision, mais ne pouvait pas vérifier les analyses.",
            human_reachable=True,
            contact="urbanisme@saint-aubin-des-pres.example",
        ),
    ),
    (
        "trois-rivieres",
        "numerique@agglo-trois-rivieres.example",
        dict(
            title="Optimisation des tournées de collecte des déchets",
            metier="dechets",
            service="Direction de la propreté et des déchets",
            audience="agents",
            status="deploye",
            started_on=date(2023, 10, 2),
            deployed_on=date(2024, 4, 1),
            need="Des camions à moitié vides sur certaines tournées, pleins avant la fin sur d’autres.",
            description="À partir du taux de remplissage mesuré des bacs et des conteneurs, l’outil propose chaque "
            "semaine des tournées ; le chef d’équipe les valide ou les modifie.",
            data_used="Le remplissage des conteneurs (capteurs) et le plan des voies ; aucune donnée sur les "
            "habitants.",
            personal_data=False,
            hosting="internal",
            open_source=True,
            vendor="Logiciel libre de calcul d’itinéraires",
            cost_band="none",
            human_oversight="Le chef d’équipe valide les tournées ; les équipages signalent les erreurs du plan.",
            human_reachable=False,
            frugality="Un calcul par semaine sur un serveur existant.",
            training="Une journée pour les chefs d’équipe, une heure pour les équipages.",
            agents_concerned=64,
            agents_trained=52,
            results="12 % de kilomètres en moins en un an, et moins de débordements signalés.",
            contact="dechets@agglo-trois-rivieres.example",
        ),
    ),
    (
        "trois-rivieres",
        "numerique@agglo-trois-rivieres.example",
        dict(
            title="Vidéoprotection algorithmique des parkings relais",
            metier="voirie",
            service="Direction des mobilités",
            audience="usagers",
            status="abandonne",
            started_on=date(2024, 1, 8),
            ended_on=date(2024, 6, 30),
            abandon_reason="Après la concertation, les habitant·es et le conseil communautaire ont jugé l’atteinte "
            "aux libertés disproportionnée au regard des vols constatés. L’expérimentation n’a pas été lancée ; "
            "l’éclairage et la présence d’agents ont été renforcés.",
            need="Des vols et dégradations dans deux parkings relais.",
            description="Un logiciel aurait repéré automatiquement des « comportements suspects » sur les images.",
            data_used="Les images des caméras des parkings.",
            personal_data=True,
            dpia_done=True,
            hosting="france",
            open_source=False,
            vendor="Prestataire de vidéoprotection",
            cost_band="20k_100k",
            human_oversight="Un opérateur aurait validé chaque alerte.",
            human_reachable=False,
            contact="mobilites@agglo-trois-rivieres.example",
        ),
    ),
    (
        "haute-vallee",
        "dsi@haute-vallee.example",
        dict(
            title="Repérage des routes à entretenir par analyse d’images",
            metier="voirie",
            service="Direction des routes",
            audience="agents",
            status="experimentation",
            started_on=date(2025, 4, 1),
            need="Repérer tôt les nids-de-poule et fissures sur 4 000 km de routes départementales.",
            description="Une caméra sur les véhicules de patrouille ; les images sont analysées pour classer l’état "
            "de la chaussée. Les visages et les plaques sont floutés sur le véhicule, avant tout envoi.",
            data_used="Des images de la chaussée, floutées à la source.",
            personal_data=False,
            hosting="public",
            host_name="Centre de données du Département",
            open_source=True,
            vendor="Modèle libre de détection, entraîné par le Département",
            cost_band="5k_20k",
            human_oversight="Les agents des centres routiers vérifient chaque alerte sur place avant d’intervenir.",
            human_reachable=False,
            frugality="Un petit modèle embarqué ; seules les alertes sont envoyées.",
            training="Une demi-journée pour les patrouilleurs des centres routiers.",
            agents_concerned=30,
            agents_trained=30,
            results="Les premières alertes recoupent 80 % des relevés faits à pied.",
            contact="routes@haute-vallee.example",
        ),
    ),
    (
        "haute-vallee",
        "dsi@haute-vallee.example",
        dict(
            title="Aide à la réponse aux courriels des usagers",
            metier="accueil",
            service="Relation aux usagers",
            audience="agents",
            status="experimentation",
            started_on=date(2025, 9, 1),
            need="Plus de 3 000 courriels par mois, et des usagers qui attendent plus d’une semaine une réponse.",
            description="L’outil propose à l’agent un brouillon de réponse fondé sur les fiches du Département ; "
            "l’agent le corrige et l’envoie sous son nom. Aucune réponse ne part sans lui.",
            data_used="Le courriel reçu, qui contient souvent des données personnelles ; il n’est pas conservé par "
            "l’outil.",
            personal_data=True,
            dpia_done=True,
            hosting="public",
            host_name="Opérateur public de l’État",
            open_source=True,
            vendor="Assistant pour les agents publics, proposé par l’État",
            cost_band="none",
            human_oversight="L’agent relit, corrige et signe chaque réponse.",
            human_reachable=True,
            training="Deux demi-journées, dont une sur les données personnelles.",
            agents_concerned=40,
            agents_trained=34,
            results="Délai moyen de réponse passé de 8 à 3 jours ouvrés pendant l’expérimentation.",
            contact="usagers@haute-vallee.example",
        ),
    ),
]

# How many agents use the first tools, and how many were trained (the indicators count them).
AGENTS = {
    "Chatbot d’accueil de la mairie": (5, 5),
    "Transcription des conseils municipaux": (4, 4),
    "Assistant de rédaction pour les agents": (420, 310),
    "Détection des fuites d’eau sur le réseau": (18, 11),
    "Tri et orientation des courriers entrants": (22, 9),
}

# The commitments and proposals (by title) that led to a tool; True: the tool carries the commitment out.
LINKS = {
    "Assistant de rédaction pour les agents": [("Un agent relit toute décision préparée par une IA", False)],
}

# entry title → {manifesto point title: (verdict, justification)}, against the demo manifesto's current version.
FORMER, HUMAIN, DONNEES, SOBRE = (
    "Former les agents avant tout déploiement",
    "Un humain toujours joignable",
    "Les données des usagers restent en Europe et ne servent à rien d’autre",
    "Réserver l’IA aux usages utiles et mesurer leur impact",
)
ASSESSMENTS = {
    "Chatbot d’accueil de la mairie": {
        FORMER: ("respects", "Les cinq agents de l’accueil ont été formés avant l’ouverture."),
        HUMAIN: ("respects", "Chaque réponse propose de parler à un agent : téléphone, rendez-vous ou formulaire."),
        DONNEES: ("respects", "Hébergé par le syndicat mixte du département ; aucune donnée d’usager conservée."),
        SOBRE: ("partly", "Petit modèle, mais la consommation n’est pas encore mesurée."),
    },
    "Assistant de rédaction pour les agents": {
        FORMER: ("partly", "310 agents formés sur 420 : l’accès est ouvert après la formation, qui se poursuit."),
        HUMAIN: ("na", "Un outil pour les agents : il ne répond pas aux usagers."),
        DONNEES: ("respects", "Hébergé par l’agglomération ; rien ne sert à entraîner un modèle."),
        SOBRE: ("partly", "Un bilan énergétique est prévu au premier anniversaire."),
    },
    "Aide à l’instruction des permis de construire": {
        DONNEES: ("breaks", "Dossiers hébergés hors de l’Union européenne : c’est une des raisons de l’abandon."),
        HUMAIN: ("partly", "La décision restait à l’instructeur, sans qu’il puisse vérifier l’analyse."),
    },
}

# entry title, adopting territory slug, the retour
ADOPTIONS = [
    (
        "Assistant de rédaction pour les agents",
        "haute-vallee",
        RetourData(
            context="Déployé pour 1 200 agents du Département, sur notre propre infrastructure.",
            gains="Des comptes rendus de réunion prêts plus vite ; la fin des outils grand public.",
            difficulties="La formation préalable est indispensable : sans elle, les agents collaient des données "
            "d’usagers.",
            would_recommend=True,
        ),
    ),
    (
        "Assistant de rédaction pour les agents",
        "saint-aubin-des-pres",
        RetourData(
            context="Accès ouvert à nos 80 agents grâce à l’instance de l’agglomération.",
            gains="Les courriers types de l’état civil sont rédigés en moitié moins de temps.",
            would_recommend=True,
        ),
    ),
    (
        "Chatbot d’accueil de la mairie",
        "trois-rivieres",
        RetourData(
            context="Repris pour l’accueil des déchetteries et du service des transports.",
            gains="Moins d’appels sur les horaires.",
            difficulties="Il a fallu réécrire nos pages : l’assistant ne fait pas mieux que le site qu’il lit.",
            would_recommend=True,
        ),
    ),
    (
        "Transcription des conseils municipaux",
        "haute-vallee",
        RetourData(
            context="Utilisé pour les séances de l’assemblée départementale.",
            gains="Sous-titres en direct appréciés des personnes malentendantes.",
            difficulties="Les noms des communes et des élus sont souvent mal transcrits : la relecture reste longue.",
            would_recommend=False,
        ),
    ),
]


def load(now: datetime, territories: dict, people: dict, organisers: dict) -> None:
    entries = {}
    for slug, author_email, fields in ENTRIES:
        concerned, trained = AGENTS.get(fields["title"], (fields.get("agents_concerned"), fields.get("agents_trained")))
        data = EntryData(**{**fields, "agents_concerned": concerned, "agents_trained": trained})
        entry = services.create_entry(people[author_email], territories[slug], data, now)
        entries[entry.title] = entry
    for title, slug, retour in ADOPTIONS:
        services.declare_adoption(organisers[slug], entries[title], territories[slug], retour, now)
    _link(entries, organisers, now)
    _assess(entries, people, organisers, now)


def _link(entries: dict, organisers: dict, now: datetime) -> None:
    """Tools linked to the commitments (and their proposals) that led to them."""
    from sqlalchemy import select

    from concertation.commitments.models import Commitment
    from concertation.extensions import db

    for title, wanted in LINKS.items():
        entry = entries[title]
        found = {
            c.title: c
            for c in db.session.scalars(select(Commitment).where(Commitment.territory_id == entry.territory_id))
        }
        chosen = [(found[name], realises) for name, realises in wanted if name in found]
        if not chosen:
            continue
        proposals = [link.proposal_id for c, _r in chosen for link in c.proposal_links]
        services.set_links(
            organisers[entry.territory.slug],
            entry,
            [c.id for c, _r in chosen],
            [c.id for c, realises in chosen if realises],
            proposals,
            now,
        )


def _assess(entries: dict, people: dict, organisers: dict, now: datetime) -> None:
    """Entries judged against the current version of the demo manifesto, point by point."""
    from concertation.library import assessments

    grid = assessments.current_grid()
    if grid is None:
        return
    _manifesto, version = grid
    uids = {point.title: point.uid for point in version.points}
    for title, verdicts in ASSESSMENTS.items():
        entry = entries[title]
        given = {
            uids[point]: assessments.Verdict(verdict, justification)
            for point, (verdict, justification) in verdicts.items()
            if point in uids
        }
        assessments.assess(organisers[entry.territory.slug], entry, version, given, now)
