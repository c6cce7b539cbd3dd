#include "ctl/seed_text.h"

#define LIST(a) {a, sizeof(a) / sizeof(*(a))}

const char *const seed_area_codes[SEED_AREAS] = {
    "data_ai", "infrastructure", "digital_app_innovation", "business_applications", "modern_work",
    "security"};

const char *const seed_industry_codes[SEED_INDUSTRIES] = {
    "agriculture", "automotive", "education", "energy", "financial_services", "government",
    "healthcare", "hospitality", "manufacturing", "media", "nonprofit", "professional_services",
    "retail", "telecommunications", "transportation"};

const char *const seed_area_name[SEED_AREAS] = {
    "Data and AI", "Cloud Infrastructure", "Apps", "Business Applications", "Modern Work",
    "Security"};

const char *const seed_area_phrase[SEED_LANG__MAX][SEED_AREAS] = {
    {"data and artificial intelligence", "cloud infrastructure",
     "application development and modernisation", "ERP and CRM business applications",
     "modern work and collaboration", "cybersecurity"},
    {"la donnée et l'intelligence artificielle", "l'infrastructure cloud",
     "le développement et la modernisation d'applications", "les applications métier ERP et CRM",
     "le travail moderne et la collaboration", "la cybersécurité"},
};

const char *const seed_industry_phrase[SEED_LANG__MAX][SEED_INDUSTRIES] = {
    {"farms and food producers", "car makers and their suppliers", "schools and universities",
     "energy and utility companies", "banks and insurers", "public administrations",
     "hospitals and healthcare providers", "hotels and travel companies", "manufacturers",
     "media and communication companies", "nonprofit organisations",
     "law firms, accountants and consultancies", "retailers and consumer brands",
     "telecom operators", "transport and logistics companies"},
    {"les exploitations agricoles et l'agroalimentaire", "les constructeurs automobiles et leurs "
     "fournisseurs", "les écoles et les universités", "les entreprises de l'énergie",
     "les banques et les assureurs", "les administrations publiques",
     "les hôpitaux et les acteurs de la santé", "les hôtels et le tourisme", "les industriels",
     "les médias", "les associations",
     "les cabinets d'avocats, d'expertise comptable et de conseil",
     "les enseignes de distribution", "les opérateurs de télécommunications",
     "les transporteurs et les logisticiens"},
};

const char *const seed_area_sentences[SEED_LANG__MAX][SEED_AREAS][SEED_PER_AREA] = {
    {
        {"We design modern data platforms that bring together data from every part of the "
         "business, from the warehouse to real-time analytics.",
         "Our data engineers build reliable pipelines, governed data lakes and dashboards that "
         "managers actually use.",
         "We help %I turn their data into forecasts, with machine learning models that are "
         "explained, monitored and retrained.",
         "From the first proof of concept to production, our teams deploy generative AI "
         "assistants grounded in your own documents.",
         "We migrate legacy reporting to a cloud analytics platform and train your analysts to "
         "build their own reports.",
         "Data quality, master data management and clear ownership are the foundations of every "
         "analytics project we deliver.",
         "Our specialists in artificial intelligence and data science work with business teams "
         "to find the use cases that pay back quickly.",
         "We modernise data warehouses and set up data governance that satisfies auditors and "
         "regulators."},
        {"We plan and run migrations of servers, databases and applications to the public "
         "cloud, with a clear landing zone and cost controls.",
         "Our certified engineers manage hybrid cloud infrastructure around the clock, with "
         "monitoring, patching and backup included.",
         "We design resilient networks, virtual desktops and disaster recovery plans for %I.",
         "Moving from ageing datacenters to cloud infrastructure lowers costs and frees your "
         "teams for more valuable work.",
         "We automate infrastructure with templates and pipelines so that every environment is "
         "reproducible and documented.",
         "Our managed services cover storage, virtual machines, containers and Kubernetes "
         "clusters.",
         "We optimise cloud spending with regular reviews, reserved capacity and right-sizing "
         "of workloads.",
         "Linux and Windows servers, identity, networking and backup: we take care of the whole "
         "platform."},
        {"We build cloud native applications with modern frameworks, APIs and microservices.",
         "Our developers modernise legacy applications, moving them to containers and "
         "serverless platforms step by step.",
         "We create mobile and web applications for %I, from design workshops to continuous "
         "delivery.",
         "DevOps practices, automated testing and continuous integration shorten the time from "
         "idea to release.",
         "We integrate your applications with APIs and event streams so that information flows "
         "without manual work.",
         "Low code platforms let business teams build their own apps, and we provide the "
         "governance and training.",
         "Our software engineering teams work in short iterations with your product owners.",
         "We help software vendors design, build and publish their solutions on the cloud "
         "marketplace."},
        {"We implement ERP and CRM solutions for %I, from finance and supply chain to sales and "
         "customer service.",
         "Our consultants migrate on-premises ERP systems to the cloud with a proven methodology "
         "and fixed milestones.",
         "We connect sales, marketing and customer service in one CRM so that every team sees "
         "the same customer.",
         "Finance, procurement, inventory and manufacturing processes are configured to fit the "
         "way you work.",
         "We automate business processes with workflows and robotic process automation, saving "
         "hours every week.",
         "Our support team keeps your business applications up to date and helps users after "
         "go-live.",
         "Field service, project operations and human resources modules extend the ERP to the "
         "whole company.",
         "We design reports and dashboards on top of ERP and CRM data for management and "
         "controllers."},
        {"We help organisations adopt modern work tools: online meetings, chat, document "
         "collaboration and intranet.",
         "Our adoption specialists train employees and managers so that new collaboration tools "
         "are actually used.",
         "We deploy and manage laptops and mobile devices for hybrid teams, with secure access "
         "from anywhere.",
         "Telephony in the cloud, meeting rooms and contact centres are part of our modern "
         "workplace offer.",
         "We migrate mailboxes, file shares and intranets to cloud collaboration services "
         "without disrupting daily work.",
         "Employee experience, knowledge management and digital workplace governance are at "
         "the heart of our projects.",
         "We build frontline worker solutions for %I, with shift planning, tasks and "
         "communication on mobile devices.",
         "Our consultants design information architecture and records management for "
         "document-heavy organisations."},
        {"We protect identities, devices and data with a zero trust approach and a security "
         "operations centre available day and night.",
         "Our security analysts detect and respond to threats, investigate incidents and help "
         "you recover quickly.",
         "We assess your security posture, run penetration tests and deliver a clear "
         "remediation plan.",
         "Compliance with data protection regulations, information protection and data loss "
         "prevention are part of every engagement.",
         "We deploy multi-factor authentication, conditional access and privileged identity "
         "management.",
         "Our managed detection and response service covers endpoints, email, cloud "
         "applications and servers.",
         "We help %I meet industry security standards and prepare for audits and "
         "certifications.",
         "Security awareness training and phishing simulations reduce the human risk."},
    },
    {
        {"Nous concevons des plateformes de données modernes qui réunissent les données de "
         "toute l'entreprise, de l'entrepôt à l'analyse en temps réel.",
         "Nos ingénieurs data construisent des flux fiables, des lacs de données gouvernés et "
         "des tableaux de bord réellement utilisés par les managers.",
         "Nous aidons %I à transformer leurs données en prévisions, avec des modèles "
         "d'apprentissage automatique expliqués, surveillés et réentraînés.",
         "De la preuve de concept à la production, nos équipes déploient des assistants "
         "d'intelligence artificielle générative appuyés sur vos propres documents.",
         "Nous migrons les anciens outils de reporting vers une plateforme d'analyse dans le "
         "cloud et formons vos analystes à créer leurs rapports.",
         "Qualité des données, gestion des données de référence et responsabilités claires sont "
         "la base de chacun de nos projets d'analyse.",
         "Nos spécialistes de l'intelligence artificielle et de la science des données "
         "travaillent avec les métiers pour trouver les cas d'usage rentables.",
         "Nous modernisons les entrepôts de données et mettons en place une gouvernance des "
         "données qui satisfait auditeurs et régulateurs."},
        {"Nous planifions et réalisons la migration de serveurs, de bases de données et "
         "d'applications vers le cloud public, avec une zone d'accueil claire et la maîtrise "
         "des coûts.",
         "Nos ingénieurs certifiés exploitent votre infrastructure cloud hybride jour et nuit, "
         "supervision, correctifs et sauvegardes compris.",
         "Nous concevons des réseaux résilients, des postes virtuels et des plans de reprise "
         "d'activité pour %I.",
         "Quitter des centres de données vieillissants pour une infrastructure cloud réduit les "
         "coûts et libère vos équipes.",
         "Nous automatisons l'infrastructure avec des modèles et des chaînes de déploiement : "
         "chaque environnement est reproductible et documenté.",
         "Nos services managés couvrent le stockage, les machines virtuelles, les conteneurs et "
         "les clusters Kubernetes.",
         "Nous optimisons vos dépenses cloud par des revues régulières, des réservations de "
         "capacité et le bon dimensionnement des charges.",
         "Serveurs Linux et Windows, identité, réseau et sauvegarde : nous prenons en charge "
         "toute la plateforme."},
        {"Nous développons des applications natives du cloud avec des frameworks modernes, des "
         "API et des microservices.",
         "Nos développeurs modernisent les applications existantes et les migrent pas à pas "
         "vers les conteneurs et le serverless.",
         "Nous créons des applications mobiles et web pour %I, des ateliers de conception à la "
         "livraison continue.",
         "Les pratiques DevOps, les tests automatisés et l'intégration continue raccourcissent "
         "le chemin de l'idée à la mise en production.",
         "Nous intégrons vos applications par des API et des flux d'événements pour que "
         "l'information circule sans saisie manuelle.",
         "Les plateformes low code permettent aux métiers de créer leurs applications ; nous "
         "apportons la gouvernance et la formation.",
         "Nos équipes de développement logiciel travaillent en courtes itérations avec vos "
         "responsables produit.",
         "Nous aidons les éditeurs de logiciels à concevoir et publier leurs solutions sur la "
         "place de marché cloud."},
        {"Nous mettons en œuvre des solutions ERP et CRM pour %I, de la finance et de la chaîne "
         "logistique aux ventes et au service client.",
         "Nos consultants migrent les ERP installés sur site vers le cloud avec une méthode "
         "éprouvée et des jalons fixes.",
         "Nous réunissons ventes, marketing et service client dans un seul CRM pour que chaque "
         "équipe voie le même client.",
         "Les processus de finance, d'achats, de stocks et de production sont paramétrés selon "
         "votre façon de travailler.",
         "Nous automatisons les processus métier avec des workflows et de la robotisation, et "
         "vous gagnez des heures chaque semaine.",
         "Notre équipe support maintient vos applications métier à jour et accompagne les "
         "utilisateurs après le démarrage.",
         "Les modules de service terrain, de gestion de projets et de ressources humaines "
         "étendent l'ERP à toute l'entreprise.",
         "Nous concevons rapports et tableaux de bord sur les données de l'ERP et du CRM pour "
         "la direction et le contrôle de gestion."},
        {"Nous aidons les organisations à adopter les outils du travail moderne : réunions en "
         "ligne, messagerie instantanée, collaboration documentaire et intranet.",
         "Nos spécialistes de l'adoption forment collaborateurs et managers pour que les "
         "nouveaux outils de collaboration soient vraiment utilisés.",
         "Nous déployons et gérons ordinateurs portables et mobiles pour les équipes hybrides, "
         "avec un accès sécurisé depuis partout.",
         "Téléphonie dans le cloud, salles de réunion et centres de contact font partie de "
         "notre offre pour l'environnement de travail.",
         "Nous migrons boîtes aux lettres, partages de fichiers et intranets vers des services "
         "de collaboration cloud sans perturber le quotidien.",
         "Expérience collaborateur, gestion des connaissances et gouvernance de l'espace de "
         "travail numérique sont au cœur de nos projets.",
         "Nous construisons des solutions pour les équipes de terrain chez %I : planning, "
         "tâches et communication sur mobile.",
         "Nos consultants conçoivent l'architecture de l'information et l'archivage pour les "
         "organisations qui gèrent beaucoup de documents."},
        {"Nous protégeons identités, appareils et données avec une approche zero trust et un "
         "centre opérationnel de sécurité disponible jour et nuit.",
         "Nos analystes sécurité détectent les menaces, y répondent, enquêtent sur les "
         "incidents et vous aident à reprendre l'activité rapidement.",
         "Nous évaluons votre niveau de sécurité, réalisons des tests d'intrusion et livrons un "
         "plan de remédiation clair.",
         "La conformité au règlement sur la protection des données, la protection de "
         "l'information et la prévention des fuites font partie de chaque mission.",
         "Nous déployons l'authentification multifacteur, l'accès conditionnel et la gestion "
         "des identités à privilèges.",
         "Notre service managé de détection et de réponse couvre les postes, la messagerie, les "
         "applications cloud et les serveurs.",
         "Nous aidons %I à respecter les normes de sécurité de leur secteur et à préparer "
         "audits et certifications.",
         "Les formations de sensibilisation et les simulations d'hameçonnage réduisent le "
         "risque humain."},
    },
};

static const char *const generic_en[] = {
    "%B was founded by engineers who believe that technology should serve people and business "
    "goals.",
    "Our teams combine consulting, implementation and long-term support under one contract.",
    "We work with small businesses as well as large enterprises and public organisations.",
    "Every project starts with a workshop to understand your goals, your constraints and your "
    "users.",
    "Customer satisfaction and long-term relationships matter more to us than short-term sales.",
    "Our consultants hold many technical certifications and keep learning every year.",
    "We offer fixed-price packages for common projects and flexible support plans.",
    "Local teams speak your language and know the regulations of your market.",
    "We are proud of our references among %I.",
    "Our support centre answers quickly and follows every request until it is solved.",
};
static const char *const generic_fr[] = {
    "%B a été fondée par des ingénieurs convaincus que la technologie doit servir les personnes "
    "et les objectifs de l'entreprise.",
    "Nos équipes réunissent conseil, intégration et support dans la durée, avec un seul contrat.",
    "Nous travaillons avec les petites entreprises comme avec les grands groupes et le secteur "
    "public.",
    "Chaque projet commence par un atelier pour comprendre vos objectifs, vos contraintes et vos "
    "utilisateurs.",
    "La satisfaction de nos clients et les relations durables comptent plus pour nous que les "
    "ventes rapides.",
    "Nos consultants sont largement certifiés et se forment chaque année.",
    "Nous proposons des forfaits pour les projets courants et des contrats de support souples.",
    "Nos équipes locales parlent votre langue et connaissent la réglementation de votre marché.",
    "Nous sommes fiers de nos références auprès de clients comme %I.",
    "Notre centre de support répond vite et suit chaque demande jusqu'à sa résolution.",
};
const struct seed_list seed_generic[SEED_LANG__MAX] = {LIST(generic_en), LIST(generic_fr)};

static const char *const intro_en[] = {
    "%B is a technology partner that helps %I get more from the cloud.",
    "%B is an independent IT services company specialised in %A.",
    "At %B, we help organisations of every size with %A.",
    "%B brings its expertise in %A to %I.",
};
static const char *const intro_fr[] = {
    "%B est un partenaire technologique qui aide %I à tirer le meilleur du cloud.",
    "%B est une entreprise de services numériques indépendante, spécialisée dans %A.",
    "Chez %B, nous accompagnons les organisations de toute taille dans %A.",
    "%B met son expertise dans %A au service de clients comme %I.",
};
const struct seed_list seed_intro[SEED_LANG__MAX] = {LIST(intro_en), LIST(intro_fr)};

static const char *const local_en[] = {
    "Our local team works with %I in this country.",
    "In this country, %B has its own consultants and support engineers.",
};
static const char *const local_fr[] = {
    "Dans ce pays, notre équipe locale accompagne %I au quotidien.",
    "Ici, %B dispose de ses propres consultants et ingénieurs support, qui parlent votre langue.",
    "Notre agence locale intervient chez %I avec des experts en %A.",
};
const struct seed_list seed_local_intro[SEED_LANG__MAX] = {LIST(local_en), LIST(local_fr)};

static const char *const closing_en[] = {
    "Contact %B to discuss your next project.",
    "Talk to our team to find out how %B can help.",
    "Send us a message and a consultant will call you back.",
};
static const char *const closing_fr[] = {
    "Contactez %B pour parler de votre prochain projet.",
    "Parlez à notre équipe pour découvrir comment %B peut vous aider.",
    "Envoyez-nous un message : un consultant vous rappellera.",
};
const struct seed_list seed_closing[SEED_LANG__MAX] = {LIST(closing_en), LIST(closing_fr)};

static const char *const syllable_a[] = {
    "Nor", "Kel", "Van", "Tor", "Bel", "Lum", "Sar", "Dex", "Mar", "Zen", "Cor", "Tal", "Ven",
    "Ori", "Ast", "Bra", "Cal", "Dra", "Fen", "Gal", "Hel", "Ist", "Jor", "Kas", "Lin", "Mor",
    "Nex", "Ost", "Pra", "Quin", "Ril", "Sol", "Tem", "Ul", "Vel", "Wyn", "Xan", "Yor", "Zal",
    "Ard", "Bor", "Cen", "Dal", "Elm", "Fal", "Gor", "Har", "Ivo", "Jun", "Kor"};
static const char *const syllable_b[] = {
    "anta", "brix", "ora", "ion", "exa", "is", "ara", "eon", "ium", "ova", "ix", "aro", "enza",
    "ika", "una", "ell", "oria", "ado", "ane", "etic", "ovo", "yn", "ira", "ux", "alis", "esta",
    "ondo", "ia", "ek", "aris"};
static const char *const company_kind[] = {
    "Systems", "Consulting", "Technologies", "Digital", "Solutions", "Partners", "IT", "Cloud",
    "Data", "Software", "Networks", "Services", "Group", "Labs", "Informatique", "Conseil"};
static const char *const first_names[] = {
    "Alex", "Camille", "Jordan", "Sam", "Morgan", "Noah", "Emma", "Lucas", "Léa", "Hugo",
    "Sofia", "Mateo", "Amira", "Yuki", "Priya", "Omar", "Ingrid", "Pedro", "Chloé", "Tomás"};
static const char *const last_names[] = {
    "Martin", "Bernard", "Smith", "Garcia", "Müller", "Rossi", "Silva", "Kowalski", "Nakamura",
    "Patel", "Dubois", "Jensen", "Novak", "Haddad", "Okafor", "Larsen", "Moreau", "Costa",
    "Fischer", "Lambert"};
static const char *const cities[] = {
    "Riverside", "Lakeview", "Hillcrest", "Northgate", "Westbrook", "Eastfield", "Southport",
    "Kingsbridge", "Fairhaven", "Greenfield", "Harbour City", "Stonebridge"};
static const char *const streets[] = {
    "Business Park", "Main Street", "Station Road", "Market Square", "Innovation Avenue",
    "Harbour Road", "Rue du Commerce", "Avenue de l'Europe", "Technology Drive", "Park Lane"};
const struct seed_list seed_syllable_a = LIST(syllable_a), seed_syllable_b = LIST(syllable_b),
                       seed_company_kind = LIST(company_kind), seed_first_names = LIST(first_names),
                       seed_last_names = LIST(last_names), seed_cities = LIST(cities),
                       seed_streets = LIST(streets);
