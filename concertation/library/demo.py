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
        entry = services.create_entry(people[author_email], territories[slug], EntryData(**fields), now)
        entries[entry.title] = entry
    for title, slug, retour in ADOPTIONS:
        services.declare_adoption(organisers[slug], entries[title], territories[slug], retour, now)
