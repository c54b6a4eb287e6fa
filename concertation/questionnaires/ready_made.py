"""Ready-made questionnaires an organiser adds in one click, then adjusts before publishing.

« Usages de l’IA et besoins de formation des agents »: about 30 % of public agents already use AI,
often without knowing it; training starts from what they use, what they fear and what they want.
"""

from datetime import datetime

from concertation.consultations.models import Consultation
from concertation.questionnaires import services
from concertation.questionnaires.models import Questionnaire
from concertation.questionnaires.services import QuestionData

AGENTS_AI_TITLE = "Usages de l’IA et besoins de formation des agents"
AGENTS_AI_INTRO = (
    "Ce questionnaire prend une dizaine de minutes. Il aide la collectivité à préparer la formation "
    "des agents à l’intelligence artificielle : près d’un agent sur trois utilise déjà l’IA, souvent "
    "sans le savoir. Vos réponses sont anonymes : une fois envoyées, elles ne sont plus liées à votre compte."
)
NEVER = "Non, jamais"


def agents_ai_training(organiser, consultation: Consultation, now: datetime) -> Questionnaire:
    """A draft questionnaire for the territory's agents: tools used, for what, fears, training wanted."""
    questionnaire = services.create_questionnaire(
        organiser, consultation, AGENTS_AI_TITLE, AGENTS_AI_INTRO, "agents", now
    )
    work = services.add_section(questionnaire, "Vous et votre travail")
    services.add_question(
        work,
        QuestionData(
            "single",
            "Dans quel domaine travaillez-vous ?",
            required=True,
            options=[
                "Accueil et relation aux usagers",
                "Administration et finances",
                "Ressources humaines",
                "Technique, urbanisme et environnement",
                "Social, éducation et culture",
                "Numérique et systèmes d’information",
                "Autre",
            ],
        ),
    )
    services.add_question(work, QuestionData("single", "Encadrez-vous une équipe ?", options=["Oui", "Non"]))

    uses = services.add_section(questionnaire, "Vos usages de l’IA")
    used = services.add_question(
        uses,
        QuestionData(
            "single",
            "Avez-vous déjà utilisé un outil d’intelligence artificielle dans votre travail ?",
            required=True,
            options=["Oui, souvent", "Oui, de temps en temps", NEVER, "Je ne sais pas"],
        ),
    )
    services.add_question(
        uses,
        QuestionData(
            "multiple",
            "Quels outils avez-vous déjà utilisés ?",
            hint="Y compris sans savoir que c’était de l’IA : un correcteur, une traduction automatique…",
            options=[
                "Agent conversationnel (ChatGPT, Le Chat, Copilot…)",
                "Traduction automatique",
                "Correcteur ou aide à la rédaction",
                "Transcription ou résumé de réunions",
                "Outil métier qui intègre de l’IA",
                "Aucun",
                "Autre",
            ],
        ),
    )
    services.add_question(
        uses,
        QuestionData(
            "multiple",
            "Pour quoi faire ?",
            max_choices=3,
            options=[
                "Rédiger des courriers ou des courriels",
                "Résumer des documents",
                "Traduire",
                "Chercher une information",
                "Préparer des présentations ou des supports",
                "Analyser des données",
                "Autre",
            ],
        ),
    )
    never = next(o for o in used.options if o.label == NEVER)
    services.add_question(
        uses,
        QuestionData(
            "single",
            "Pour quelle raison principale ne l’utilisez-vous pas ?",
            condition_option_id=never.id,
            options=[
                "Je n’en ai pas besoin",
                "Je ne sais pas m’en servir",
                "Ce n’est pas autorisé dans mon service",
                "Je n’ai pas confiance dans les résultats",
                "Autre",
            ],
        ),
    )

    fears = services.add_section(questionnaire, "Vos craintes et vos attentes")
    services.add_question(
        fears,
        QuestionData(
            "matrix",
            "Dans quelle mesure ces risques vous inquiètent-ils ?",
            scale_max=5,
            scale_min_label="Pas du tout",
            scale_max_label="Beaucoup",
            options=[
                "Erreurs ou informations fausses",
                "Fuite de données personnelles",
                "Perte de contact avec les usagers",
                "Suppression ou transformation de postes",
                "Surveillance des agents",
                "Impact environnemental",
            ],
        ),
    )
    services.add_question(
        fears,
        QuestionData(
            "scale",
            "L’IA peut-elle améliorer le service public ?",
            scale_max=10,
            scale_min_label="Pas du tout",
            scale_max_label="Tout à fait",
        ),
    )
    services.add_question(fears, QuestionData("long_text", "Qu’est-ce qui vous inquiète le plus ?"))

    training = services.add_section(questionnaire, "Vos besoins de formation")
    services.add_question(
        training,
        QuestionData(
            "ranking",
            "Classez ces formats de formation, du préféré au moins apprécié",
            options=[
                "Atelier en présentiel",
                "Formation en ligne à son rythme",
                "Accompagnement par une personne référente",
                "Webinaire court",
                "Guide pratique écrit",
            ],
        ),
    )
    services.add_question(
        training,
        QuestionData(
            "multiple",
            "Sur quels sujets souhaitez-vous une formation ?",
            max_choices=3,
            options=[
                "Comprendre ce qu’est l’IA et ses limites",
                "Bien rédiger ses demandes (prompts)",
                "Protéger les données personnelles",
                "Vérifier les résultats",
                "Cadre juridique et éthique",
                "Usages propres à mon métier",
            ],
        ),
    )
    services.add_question(
        training,
        QuestionData(
            "single",
            "Combien de temps pourriez-vous y consacrer cette année ?",
            options=["Moins d’une demi-journée", "Une demi-journée", "Une journée", "Plusieurs jours"],
        ),
    )
    services.add_question(training, QuestionData("short_text", "Un outil ou un usage que vous aimeriez découvrir ?"))
    return questionnaire
